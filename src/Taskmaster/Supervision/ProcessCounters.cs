using Taskmaster.Logging;

namespace Taskmaster.Supervision;

/// <summary>
/// What happened to one process since the daemon began supervising it (the figures <c>/metrics</c> exports). The loop
/// thread alone writes the spawn and state figures; the log pumps write <see cref="Output"/> from theirs. Keeping
/// them costs a few additions per event, so they are always kept rather than switched on by a scrape.
/// </summary>
internal sealed class ProcessCounters
{
    private static readonly ProcessState[] States = Enum.GetValues<ProcessState>();
    private readonly long[] _entered = new long[States.Length];

    /// <summary>Children started (the spawner created one).</summary>
    public long Spawns { get; private set; }

    /// <summary>Start attempts that created no child (no such file, not executable, fork failed…).</summary>
    public long SpawnFailures { get; private set; }

    public OutputCounters Output { get; } = new();

    public void Spawned() => Spawns++;
    public void SpawnFailed() => SpawnFailures++;
    public void Entered(ProcessState state) => _entered[Array.IndexOf(States, state)]++;

    public ProcessCounts Snapshot()
    {
        var entered = new (ProcessState, long)[States.Length];
        for (var i = 0; i < States.Length; i++) entered[i] = (States[i], _entered[i]);
        return new ProcessCounts(Spawns, SpawnFailures, entered, Output.Stdout, Output.Stderr);
    }
}

/// <summary>A copy of a process's <see cref="ProcessCounters"/> taken on the loop thread.</summary>
/// <param name="Spawns">Children started; every one after the first is a restart (automatic or commanded).</param>
/// <param name="SpawnFailures">Start attempts that created no child.</param>
/// <param name="Entered">How many times the process entered each state, every state listed.</param>
/// <param name="StdoutBytes">Bytes captured from its stdout.</param>
/// <param name="StderrBytes">Bytes captured from its stderr.</param>
public sealed record ProcessCounts(
    long Spawns, long SpawnFailures, IReadOnlyList<(ProcessState State, long Count)> Entered, long StdoutBytes, long StderrBytes)
{
    public long Restarts => Math.Max(0, Spawns - 1);

    public static readonly ProcessCounts None = new(0, 0, [], 0, 0);
}
