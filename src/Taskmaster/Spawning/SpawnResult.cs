using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Spawning;

/// <summary>The outcome of a spawn: a running child with its output pipes, or the reason it could not start.</summary>
public abstract record SpawnResult
{
    private SpawnResult() { }

    /// <summary>The child runs. The output pipes' read ends (null when that stream is not a pipe) and the
    /// non-blocking write end of its stdin pipe (null when the spawner gives no stdin, as fakes do) now belong to
    /// the caller.</summary>
    public sealed record Started(int Pid, SafeFileHandle? StdoutPipe, SafeFileHandle? StderrPipe,
        SafeFileHandle? StdinPipe = null) : SpawnResult;

    /// <summary>No child was created; <paramref name="Reason"/> is the <c>spawnerr</c> text
    /// (e.g. "can't find command 'x'", "command at '/x' is not executable", "bad directory '/x'").</summary>
    public sealed record Failed(string Reason) : SpawnResult;
}
