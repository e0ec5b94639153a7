using System.Runtime.InteropServices;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Raises this process's soft RLIMIT_NOFILE: the reaper holds one pidfd per live child.</summary>
internal static partial class ResourceLimits
{
    private const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Maximum;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRLimit(int resource, out RLimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRLimit(int resource, ref RLimit limit);

    /// <summary>Makes sure at least <paramref name="wanted"/> descriptors may be open (up to the hard limit);
    /// returns the soft limit in force afterwards.</summary>
    public static ulong EnsureOpenFiles(ulong wanted)
    {
        if (GetRLimit(RLIMIT_NOFILE, out var limit) != 0)
            throw new InvalidOperationException($"getrlimit: errno {Marshal.GetLastPInvokeError()}");
        if (limit.Current >= wanted) return limit.Current;
        var raised = limit with { Current = Math.Min(wanted, limit.Maximum) };
        if (SetRLimit(RLIMIT_NOFILE, ref raised) != 0)
            throw new InvalidOperationException($"setrlimit: errno {Marshal.GetLastPInvokeError()}");
        return raised.Current;
    }
}
