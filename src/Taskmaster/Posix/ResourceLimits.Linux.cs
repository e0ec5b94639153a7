using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>getrlimit and setrlimit.</summary>
public static partial class ResourceLimits
{
    private const string Lib = "libc";

    public const int RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7;

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
