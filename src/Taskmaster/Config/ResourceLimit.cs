using System.Globalization;
using Taskmaster.Posix;

namespace Taskmaster.Config;

/// <summary>
/// One resource limit a child gets before its command runs (<c>rlimit_nofile = 1024:4096</c>): the soft limit the
/// program meets and the hard ceiling it may raise its soft limit to. <see cref="Infinity"/> is no limit.
/// </summary>
/// <param name="Resource">The <c>RLIMIT_*</c> number (<see cref="ResourceLimits"/>).</param>
/// <param name="Name">The resource as util-linux prlimit and the key name it (<c>nofile</c>).</param>
public sealed record ResourceLimit(int Resource, string Name, ulong Soft, ulong Hard)
{
    public const ulong Infinity = ResourceLimits.Infinity;

    /// <summary>As the key is written: <c>soft:hard</c>, one number when both are the same, <c>infinity</c> for none.</summary>
    public override string ToString() => Soft == Hard ? Show(Soft) : $"{Show(Soft)}:{Show(Hard)}";

    /// <summary>The prlimit(1) option that sets it (<c>--nofile=1024:4096</c>).</summary>
    public string PrlimitOption => $"--{Name}={Prlimit(Soft)}:{Prlimit(Hard)}";

    /// <summary>One limit as written: a number or <c>infinity</c>.</summary>
    public static string Show(ulong v) => v == Infinity ? "infinity" : v.ToString(CultureInfo.InvariantCulture);

    private static string Prlimit(ulong v) => v == Infinity ? "unlimited" : v.ToString(CultureInfo.InvariantCulture);
}
