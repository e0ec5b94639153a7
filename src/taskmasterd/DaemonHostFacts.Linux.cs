using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Spawning;

namespace Taskmaster.Daemon;

/// <summary>This machine, as the configuration is checked against it (<see cref="IHostFacts"/>).</summary>
internal sealed class DaemonHostFacts : IHostFacts
{
    public static DaemonHostFacts Instance { get; } = new();

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public bool UserExists(string name) => UserAccount.Find(name) is not null;

    /// <summary>
    /// The hard limit on open files; for root, which may raise its hard limit (as supervisord does), the kernel's
    /// ceiling <c>/proc/sys/fs/nr_open</c>. Read from /proc, where the kernel states both.
    /// </summary>
    public ulong? OpenFilesCeiling
    {
        get
        {
            var hard = HardOpenFilesLimit();
            if (hard is null || !Environment.IsPrivilegedProcess) return hard;
            return ReadNumber("/proc/sys/fs/nr_open") is { } kernel ? Math.Max(kernel, hard.Value) : hard;
        }
    }

    /// <summary>
    /// Not root: the daemon's own hard limit (a child cannot be given more). Root: none, except that open files cannot
    /// go past the kernel's <c>nr_open</c>.
    /// </summary>
    public ulong? ResourceCeiling(int resource)
    {
        if (Environment.IsPrivilegedProcess)
            return resource == ResourceLimits.RLIMIT_NOFILE ? ReadNumber("/proc/sys/fs/nr_open") : null;
        return ResourceLimits.GetRlimit(resource, out var own) == 0 && own.Max != ResourceLimits.Infinity ? own.Max : null;
    }

    /// <summary>The hard column of "Max open files" in /proc/self/limits; null when unlimited or unreadable.</summary>
    private static ulong? HardOpenFilesLimit()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/limits"))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var fields = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length >= 2 && ulong.TryParse(fields[1], out var hard) ? hard : null;
            }
        }
        catch (IOException) { }
        return null;
    }

    private static ulong? ReadNumber(string path)
    {
        try { return ulong.TryParse(File.ReadAllText(path).Trim(), out var value) ? value : null; }
        catch (IOException) { return null; }
    }
}
