namespace Taskmaster.Supervision;

/// <summary>What became of bytes sent to a process's stdin.</summary>
/// <param name="Name">The full name (<c>group:name</c>), or the name as given when it matched no process.</param>
/// <param name="Written">Bytes the pipe took (all of them when <see cref="StdinWriteStatus.Written"/>).</param>
public sealed record StdinWriteResult(string Name, StdinWriteStatus Status, int Written = 0);

/// <summary>The outcomes of a stdin write, each with its own API error (see docs/API.md).</summary>
public enum StdinWriteStatus
{
    /// <summary>Every byte is in the pipe.</summary>
    Written,
    /// <summary>The name does not designate exactly one process.</summary>
    BadName,
    /// <summary>No child, or it is being stopped (supervisord refuses input while killing too).</summary>
    NotRunning,
    /// <summary>The child closed its stdin: nothing sent now can ever be read.</summary>
    Closed,
    /// <summary>The pipe is full because the child is not reading; the rest of the data was not sent.</summary>
    Full,
}
