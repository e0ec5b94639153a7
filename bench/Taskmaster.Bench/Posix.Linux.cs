using System.Runtime.InteropServices;

namespace Taskmaster.Bench;

/// <summary>The few libc calls the bench needs: signals for daemons and children, and the clock tick rate.</summary>
internal static partial class Posix
{
    public const int SigKill = 9;
    public const int SigTerm = 15;
    private const int ScClkTck = 2;

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long SysConf(int name);

    [LibraryImport("libc", EntryPoint = "stat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int StatNative(string path, byte* buffer);

    /// <summary>
    /// Inode and size of a file, or null when it does not exist. Offsets 8 (st_ino) and 48 (st_size)
    /// hold for the struct stat of both x86_64 and arm64 glibc; 256 bytes cover either struct.
    /// </summary>
    public static unsafe (ulong Inode, long Size)? Stat(string path)
    {
        var buffer = stackalloc byte[256];
        if (StatNative(path, buffer) != 0) return null;
        return (*(ulong*)(buffer + 8), *(long*)(buffer + 48));
    }

    /// <summary>Sends a signal; false when the target is already gone (ESRCH) or not ours.</summary>
    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    public static bool IsAlive(int pid) => KillNative(pid, 0) == 0;

    /// <summary>Units of /proc/PID/stat utime and stime.</summary>
    public static long ClockTicksPerSecond { get; } = SysConf(ScClkTck) is > 0 and var t ? t : 100;
}
