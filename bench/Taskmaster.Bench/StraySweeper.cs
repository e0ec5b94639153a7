namespace Taskmaster.Bench;

/// <summary>
/// Finds and kills what the bench started. Every supervised program carries
/// <c>TMBENCH_RUN=&lt;run id&gt;</c> in its environment (set through the config's <c>environment=</c>,
/// which survives exec), every daemon <c>TMBENCH_DAEMON=&lt;run id&gt;</c>; so leftovers are found by
/// marker, never by name, and nobody else's processes are touched.
/// </summary>
internal static class StraySweeper
{
    public const string ProgramVariable = "TMBENCH_RUN";
    public const string DaemonVariable = "TMBENCH_DAEMON";

    /// <summary>
    /// A fresh run id, prefixed with this bench's pid: a sweep for leftovers then spares the runs of another bench
    /// that is still alive (two benches on one machine must not kill each other's daemons).
    /// </summary>
    public static string NewRunId() => $"{Environment.ProcessId}-{Guid.NewGuid():N}";

    /// <summary>Kills every process carrying <c>VARIABLE=value</c>; returns how many were found.</summary>
    public static int Sweep(string variable, string value) => Sweep(entry => entry == $"{variable}={value}");

    /// <summary>
    /// Last resort at start and exit: daemons first so nobody respawns, then their programs; of every run of this
    /// bench, and of any bench that is no longer alive (a crashed earlier run).
    /// </summary>
    public static void SweepEverything()
    {
        Sweep(entry => IsOrphanedOrOurs(entry, DaemonVariable));
        Sweep(entry => IsOrphanedOrOurs(entry, ProgramVariable));
    }

    private static bool IsOrphanedOrOurs(string entry, string variable)
    {
        if (!entry.StartsWith(variable + "=", StringComparison.Ordinal)) return false;
        var owner = entry[(variable.Length + 1)..].Split('-')[0];
        if (!int.TryParse(owner, out var pid)) return true; // a run id from before owners were recorded
        return pid == Environment.ProcessId || !Directory.Exists($"/proc/{pid}");
    }

    private static int Sweep(Func<string, bool> matches)
    {
        var first = ProcFs.ProcessesWithEnvironment(matches);
        var pending = first;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var pid in pending) Posix.Kill(pid, Posix.SigKill);
            Thread.Sleep(20);
            pending = ProcFs.ProcessesWithEnvironment(matches);
        }
        return first.Count;
    }
}
