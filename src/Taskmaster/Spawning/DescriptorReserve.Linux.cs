// Children cost the daemon descriptors (stdin, stdout and stderr pipes and a pidfd each, plus log files). If spawning were allowed to
// use the last ones, the daemon itself could no longer accept a control connection, open a log file or even load
// a runtime assembly, and a type initializer that fails for want of a descriptor fails for good: the control
// server then stays broken after descriptors are freed. So a spawn is refused, as a spawn error, while fewer than
// Reserve descriptors would be left.
//
// Counting is O(open descriptors), and the daemon holds about three per program: counting before every spawn
// would make starting N programs quadratic (docs/BENCHMARKS.md § Design costs).
// So a count that leaves much headroom is trusted for a number of spawns that cannot use it
// up (each is charged twice PerSpawn), and entries are counted with readdir alone: .NET's directory
// enumeration stat()s every /proc/self/fd entry, because they are symlinks that might lead to directories.
//
// The other way round, control connections must not use the descriptors spawns need: a new connection is refused
// while fewer than Reserve + ForConnections descriptors would be left, so whatever connections hold, a crashed
// program can still be respawned. Connections are counted the same amortised way.
using Taskmaster.Posix;

namespace Taskmaster.Spawning;

/// <summary>Keeps a reserve of file descriptors for the daemon's own work, refusing spawns that would eat into it.</summary>
public static class DescriptorReserve
{
    /// <summary>Descriptors kept free for the daemon (control connections, log files, the runtime).</summary>
    public const int Reserve = 64;

    /// <summary>What one spawn may open before the child owns them: stdin, stdout and stderr pipes (6), a pidfd, slack.</summary>
    private const int PerSpawn = 10;

    /// <summary>Descriptors, beyond <see cref="Reserve"/>, that control connections leave to spawning.</summary>
    public const int ForConnections = 128;

    /// <summary>Spawns left before the next count; at or below zero, count.</summary>
    private static int s_spawnsBeforeRecount;

    /// <summary>Connections admitted before the next count; at or below zero, count.</summary>
    private static int s_connectionsBeforeRecount;

    /// <summary>Null when a spawn may go ahead, else the reason it may not (for the process's spawnerr).</summary>
    public static string? Refusal()
    {
        // Spawns may be prepared on several threads at once: each takes one spawn of the budget.
        if (Interlocked.Decrement(ref s_spawnsBeforeRecount) >= 0)
            return null;
        if (ResourceLimits.GetRlimit(ResourceLimits.RLIMIT_NOFILE, out var limit) != 0 || limit.Current > int.MaxValue)
            return null;
        if (CountOpenDescriptors() is not { } used)
            return null; // cannot tell: let the spawn itself find out
        var headroom = (long)limit.Current - (used + PerSpawn + Reserve);
        Volatile.Write(ref s_spawnsBeforeRecount, (int)Math.Max(0, headroom / (2 * PerSpawn)));
        if (headroom >= 0)
            return null;
        return $"too many open files: {used} of {limit.Current} descriptors in use and {Reserve} are kept for taskmasterd (raise minfds or ulimit -n)";
    }

    /// <summary>Whether one more control connection (already accepted, so already counted) leaves spawning its
    /// descriptors.</summary>
    public static bool AdmitsConnection()
    {
        if (Interlocked.Decrement(ref s_connectionsBeforeRecount) >= 0)
            return true;
        if (ResourceLimits.GetRlimit(ResourceLimits.RLIMIT_NOFILE, out var limit) != 0 || limit.Current > int.MaxValue)
            return true;
        if (CountOpenDescriptors() is not { } used)
            return true;
        var headroom = (long)limit.Current - (used + Reserve + ForConnections);
        // Each connection admitted on trust costs one descriptor: half the headroom can be trusted before a recount.
        Volatile.Write(ref s_connectionsBeforeRecount, (int)Math.Max(0, headroom / 2));
        return headroom >= 0;
    }

    /// <summary>The entries of /proc/self/fd (the directory's own descriptor included: one too many is safe).</summary>
    private static int? CountOpenDescriptors()
    {
        var dir = Files.OpenDir("/proc/self/fd");
        if (dir == 0)
            return null;
        try
        {
            var entries = 0;
            while (Files.ReadDir(dir) != 0)
                entries++;
            return entries - 2; // "." and ".."
        }
        finally
        {
            Files.CloseDir(dir);
        }
    }
}
