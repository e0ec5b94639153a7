using System.Net;

namespace Taskmaster.Config;

/// <summary>
/// The problems supervisord refuses to start with that only the machine can tell (a log directory that does not
/// exist, an unknown user, more descriptors than the limit allows), plus the daemon's own refusal to listen off
/// loopback without credentials: each reported as an error at the key, before anything runs, instead of a daemon that
/// starts degraded or exits later.
/// </summary>
public sealed class HostChecks
{
    private readonly IHostFacts host;

    internal HostChecks(IHostFacts host) => this.host = host;

    /// <summary>
    /// Why no log could be created at <paramref name="path"/> (absolute): its directory does not exist; null when it
    /// does, or when the path is a device. The daemon's <c>-l</c> flag is checked with it too, before the file is read.
    /// </summary>
    public static string? MissingLogDirectory(IHostFacts host, string path)
    {
        ArgumentNullException.ThrowIfNull(host);
        if (IsSpecialLogName(path)) return null;
        var directory = Path.GetDirectoryName(path);
        return directory is null || host.DirectoryExists(directory) ? null : $"the directory {directory} does not exist (for {path})";
    }

    internal void Daemon(SectionReader r, DaemonSettings daemon)
    {
        if (r.Entry("logfile") is { } logfile)
            ParentDirectory(r, logfile, daemon.Logfile);
        if (r.Entry("childlogdir") is { } childLogDir && !host.DirectoryExists(daemon.ChildLogDir))
            r.Error(childLogDir, $"{daemon.ChildLogDir} is not an existing directory");
        if (r.Entry("user") is { } user && daemon.User is { } name && !host.UserExists(name))
            r.Error(user, $"no user named '{name}'");
        if (r.Entry("minfds") is { } minfds && host.OpenFilesCeiling is { } ceiling && (ulong)daemon.MinFds > ceiling)
            r.Error(minfds, $"minfds={daemon.MinFds} is more than this environment allows ({ceiling} open files); "
                + "raise the limit (ulimit -Hn, LimitNOFILE=) or lower minfds");
    }

    internal void Instance(SectionReader r, ProcessConfig process)
    {
        if (!process.Stdout.IsAuto && process.Stdout.Path is { } stdout && r.Entry(ProgramKeys.StdoutLogfile.Name) is { } so)
            ParentDirectory(r, so, stdout);
        if (!process.Stderr.IsAuto && process.Stderr.Path is { } stderr && r.Entry(ProgramKeys.StderrLogfile.Name) is { } se)
            ParentDirectory(r, se, stderr);
        if (process.User is { } name && r.Entry(ProgramKeys.User.Name) is { } user && !host.UserExists(name))
            r.Error(user, $"no user named '{name}'");
        foreach (var limit in process.ResourceLimits)
            if (host.ResourceCeiling(limit.Resource) is { } ceiling && limit.Hard > ceiling && r.Entry($"rlimit_{limit.Name}") is { } entry)
                r.Error(entry, $"the hard limit {ResourceLimit.Show(limit.Hard)} is above what taskmasterd may give ({ceiling}: "
                    + "its own hard limit, which only root may raise); lower it or raise the daemon's (ulimit -H, LimitNOFILE=...)");
    }

    /// <summary>The daemon refuses to listen beyond this machine without credentials (DESIGN §4): say so now.</summary>
    internal static void Inet(SectionReader r, InetHttpServerSettings inet)
    {
        if (!string.IsNullOrEmpty(inet.Username) || IsLoopback(inet.Host) is not false) return;
        r.Error(r.Entry("port")!, $"'{inet.Host}:{inet.Port}' listens beyond this machine without credentials; "
            + "set username and password, or bind to 127.0.0.1");
    }

    /// <summary>True or false for a host the text decides; null for a name only the resolver can judge (the server does, at start).</summary>
    private static bool? IsLoopback(string host)
    {
        if (host is "" or "*") return false;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        return IPAddress.TryParse(host.Trim('[', ']'), out var address) ? IPAddress.IsLoopback(address) : null;
    }

    private void ParentDirectory(SectionReader r, IniEntry entry, string path)
    {
        if (MissingLogDirectory(host, path) is { } problem) r.Error(entry, problem);
    }

    // A device (/dev/stdout) is not a file in a directory that may be missing: /dev always is there.
    private static bool IsSpecialLogName(string path) => path.StartsWith("/dev/", StringComparison.Ordinal);
}
