using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>getrlimit and setrlimit.</summary>
public static partial class ResourceLimits
{
    private const string Lib = "libc";

    public const int RLIMIT_CPU = 0, RLIMIT_FSIZE = 1, RLIMIT_DATA = 2, RLIMIT_STACK = 3, RLIMIT_CORE = 4,
        RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7, RLIMIT_MEMLOCK = 8, RLIMIT_AS = 9;

    /// <summary>RLIM_INFINITY: no limit.</summary>
    public const ulong Infinity = ulong.MaxValue;

    /// <summary>struct rlimit.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport(Lib, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRlimit(int resource, out RLimit limit);

    [LibraryImport(Lib, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRlimit(int resource, in RLimit limit);
}
