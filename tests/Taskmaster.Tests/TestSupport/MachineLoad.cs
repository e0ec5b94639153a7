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

    public static bool Overloaded => OneMinute > 4 * Environment.ProcessorCount;

    /// <summary>How late a timed event may be: <paramref name="tight"/> seconds, or 1.5 on an overloaded machine.</summary>
    public static double LateMargin(double tight = 0.3) => Overloaded ? Math.Max(tight, 1.5) : tight;
}
