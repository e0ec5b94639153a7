// Children cost the daemon descriptors (stdin, stdout and stderr pipes and a pidfd each, plus log files). If spawning were allowed to
// use the last ones, the daemon itself could no longer accept a control connection, open a log file or even load
// a runtime assembly, and a type initializer that fails for want of a descriptor fails for good: the control
// server then stays broken after descriptors are freed (seen with `prlimit --nofile=250` and 60 programs). So a
// spawn is refused, as a spawn error, while fewer than Reserve descriptors would be left.
using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

/// <summary>Keeps a reserve of file descriptors for the daemon's own work, refusing spawns that would eat into it.</summary>
internal static partial class DescriptorReserve
{
    /// <summary>Descriptors kept free for the daemon (control connections, log files, the runtime).</summary>
    public const int Reserve = 64;

    /// <summary>What one spawn may open before the child owns them: stdin, stdout and stderr pipes (6), a pidfd, slack.</summary>
    private const int PerSpawn = 10;

    private const int RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, out RLimit limit);

    /// <summary>Null when a spawn may go ahead, else the reason it may not (for the process's spawnerr).</summary>
    public static string? Refusal()
    {
        if (GetRlimit(RLIMIT_NOFILE, out var limit) != 0 || limit.Current > int.MaxValue)
            return null;
        int used;
        try { used = Directory.GetFileSystemEntries("/proc/self/fd").Length; }
        catch (IOException) { return null; } // cannot tell: let the spawn itself find out
        if ((ulong)(used + PerSpawn + Reserve) <= limit.Current)
            return null;
        return $"too many open files: {used} of {limit.Current} descriptors in use and {Reserve} are kept for taskmasterd (raise minfds or ulimit -n)";
    }
}
