namespace Taskmaster.Tests.TestSupport;

/// <summary>One line of the kernel's process table, read from /proc/PID/stat.</summary>
/// <param name="ExitSignal">The signal in the exit code word (field 52, Linux 3.5+); meaningful for a zombie.</param>
internal readonly record struct ProcEntry(int Pid, char State, int ParentPid, int ProcessGroup, int Session, int? ExitSignal)
{
    /// <summary>Dead but not reaped: it still holds its pid and its group id until its parent waits.</summary>
    public bool IsZombie => State is 'Z' or 'X';
}
