using System.Globalization;

namespace Taskmaster.Tests;

/// <summary>
/// How busy the machine is, for the few assertions on sub-second timing. A gap the engine promises (SIGKILL at
/// stopwaitsecs ± 0.3 s) is checked that tight while the machine can keep such a promise; when the run queue is many
/// times the cores (other builds on the shared two-core box: load averages of 30 to 60 were seen), any process may
/// wait a second for a CPU, and the late side of the margin widens. The early side never does: early is a bug.
/// </summary>
internal static class MachineLoad
{
    /// <summary>The one-minute load average.</summary>
    public static double OneMinute =>
        double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], CultureInfo.InvariantCulture);

    /// <summary>How late a timed event may be: <paramref name="tight"/> seconds; on an overloaded machine 100 ms per
    /// runnable process per core, at least 1.5 s (wake-ups 1.5 s late were seen at a load of 98, 3.3 s at 90 with
    /// other test classes sharing the test host).</summary>
    public static double LateMargin(double tight = 0.3)
    {
        var perCore = OneMinute / Environment.ProcessorCount;
        return perCore > 4 ? Math.Max(tight, Math.Max(1.5, 0.1 * perCore)) : tight;
    }
}
