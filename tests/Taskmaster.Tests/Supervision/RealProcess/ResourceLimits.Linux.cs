using System.Runtime.InteropServices;
using Limits = Taskmaster.Posix.ResourceLimits;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Raises this process's soft RLIMIT_NOFILE: the reaper holds one pidfd per live child.</summary>
internal static class ResourceLimits
{
    /// <summary>Makes sure at least <paramref name="wanted"/> descriptors may be open (up to the hard limit);
    /// returns the soft limit in force afterwards.</summary>
    public static ulong EnsureOpenFiles(ulong wanted)
    {
        if (Limits.GetRlimit(Limits.RLIMIT_NOFILE, out var limit) != 0)
            throw new InvalidOperationException($"getrlimit: errno {Marshal.GetLastPInvokeError()}");
        if (limit.Current >= wanted) return limit.Current;
        var raised = limit with { Current = Math.Min(wanted, limit.Max) };
        if (Limits.SetRlimit(Limits.RLIMIT_NOFILE, raised) != 0)
            throw new InvalidOperationException($"setrlimit: errno {Marshal.GetLastPInvokeError()}");
        return raised.Current;
    }
}
