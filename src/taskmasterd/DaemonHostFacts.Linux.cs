using Taskmaster.Config;
using Taskmaster.Spawning;

namespace Taskmaster.Daemon;

/// <summary>This machine, as the configuration is checked against it (<see cref="IHostFacts"/>).</summary>
internal sealed class DaemonHostFacts : IHostFacts
{
    public static DaemonHostFacts Instance { get; } = new();

    private const ulong Unlimited = ulong.MaxValue; // RLIM_INFINITY

    public bool DirectoryExists(string path) => Directory.Exists(path);

    public bool UserExists(string name) => UserAccount.Find(name) is not null;

    /// <summary>
    /// The hard limit; for root, which may raise its hard limit (as supervisord does), the kernel's ceiling
    /// <c>/proc/sys/fs/nr_open</c>.
    /// </summary>
    public ulong? OpenFilesCeiling
    {
        get
        {
            if (DaemonNative.GetRlimit(DaemonNative.RLIMIT_NOFILE, out var limit) != 0 || limit.Max == Unlimited) return null;
            if (LibC.GetEuid() != 0) return limit.Max;
            try
            {
                return ulong.TryParse(File.ReadAllText("/proc/sys/fs/nr_open").Trim(), out var kernel) ? Math.Max(kernel, limit.Max) : limit.Max;
            }
            catch (IOException)
            {
                return limit.Max;
            }
        }
    }
}
