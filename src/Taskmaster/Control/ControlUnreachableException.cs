namespace Taskmaster.Control;

/// <summary>
/// The daemon could not be reached at all. <see cref="Exception.Message"/> is already in supervisorctl's words
/// (<c>unix:///tmp/taskmaster.sock no such file</c>, <c>... refused connection</c>).
/// </summary>
public sealed class ControlUnreachableException(string message, Exception? inner = null) : Exception(message, inner);
