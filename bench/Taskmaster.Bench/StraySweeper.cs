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

    /// <summary>Kills every process carrying <c>VARIABLE=value</c> (any value when null); returns how many were found.</summary>
    public static int Sweep(string variable, string? value)
    {
        var prefix = value is null ? variable + "=" : $"{variable}={value}";
        var first = ProcFs.ProcessesWithEnvironment(prefix);
        var pending = first;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (pending.Count > 0 && DateTime.UtcNow < deadline)
        {
            foreach (var pid in pending) Posix.Kill(pid, Posix.SigKill);
            Thread.Sleep(20);
            pending = ProcFs.ProcessesWithEnvironment(prefix);
        }
        return first.Count;
    }

    /// <summary>Last resort at exit: daemons first so nobody respawns, then their programs.</summary>
    public static void SweepEverything()
    {
        Sweep(DaemonVariable, null);
        Sweep(ProgramVariable, null);
    }
}
