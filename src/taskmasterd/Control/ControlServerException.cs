namespace Taskmaster.Daemon.Control;

/// <summary>The control server cannot start (socket held by a live daemon, unsafe TCP settings, bind failure).
/// The message is meant for the operator as is.</summary>
public sealed class ControlServerException(string message, Exception? inner = null) : Exception(message, inner);
