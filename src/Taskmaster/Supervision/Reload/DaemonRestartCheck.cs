using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// Settings the daemon reads once, at start: its own section, the control servers. A reload cannot apply
/// them (the socket is bound, the pid file written, the log open, privileges dropped), so a change is reported
/// as needing a restart of taskmasterd and the daemon keeps running with what it started with.
/// <c>[taskmasterctl]</c> is the client's business and never matters here.
/// </summary>
public static class DaemonRestartCheck
{
    private const string Suffix = "changed; needs a restart of taskmasterd";

    /// <summary>One sentence per setting that differs, e.g. <c>[unix_http_server] file changed; needs a restart of taskmasterd</c>.</summary>
    public static IReadOnlyList<string> Compare(SupervisorConfig running, SupervisorConfig next)
    {
        var found = new List<string>();
        var (a, b) = (running.Daemon, next.Daemon);
        Check("taskmasterd", "logfile", a.Logfile, b.Logfile);
        Check("taskmasterd", "logfile_maxbytes", a.LogfileMaxBytes, b.LogfileMaxBytes);
        Check("taskmasterd", "logfile_backups", a.LogfileBackups, b.LogfileBackups);
        Check("taskmasterd", "loglevel", a.LogLevel, b.LogLevel);
        Check("taskmasterd", "pidfile", a.Pidfile, b.Pidfile);
        Check("taskmasterd", "nodaemon", a.Nodaemon, b.Nodaemon);
        Check("taskmasterd", "umask", a.Umask, b.Umask);
        Check("taskmasterd", "user", a.User, b.User);
        Check("taskmasterd", "directory", a.Directory, b.Directory);
        Check("taskmasterd", "childlogdir", a.ChildLogDir, b.ChildLogDir);
        if (!a.Environment.SequenceEqual(b.Environment)) Add("taskmasterd", "environment");
        Check("taskmasterd", "minfds", a.MinFds, b.MinFds);
        Check("taskmasterd", "minprocs", a.MinProcs, b.MinProcs);
        Check("taskmasterd", "identifier", a.Identifier, b.Identifier);

        if ((running.UnixHttpServer is null) != (next.UnixHttpServer is null)) Add("unix_http_server", null);
        else if (running.UnixHttpServer is { } u && next.UnixHttpServer is { } v)
        {
            Check("unix_http_server", "file", u.File, v.File);
            Check("unix_http_server", "chmod", u.Chmod, v.Chmod);
            Check("unix_http_server", "chown", u.Chown, v.Chown);
            Check("unix_http_server", "username", u.Username, v.Username);
            Check("unix_http_server", "password", u.Password, v.Password);
        }

        if ((running.InetHttpServer is null) != (next.InetHttpServer is null)) Add("inet_http_server", null);
        else if (running.InetHttpServer is { } i && next.InetHttpServer is { } j)
        {
            if (i.Host != j.Host || i.Port != j.Port) Add("inet_http_server", "port");
            Check("inet_http_server", "username", i.Username, j.Username);
            Check("inet_http_server", "password", i.Password, j.Password);
        }
        return found;

        void Check<T>(string section, string key, T before, T after)
        {
            if (!EqualityComparer<T>.Default.Equals(before, after)) Add(section, key);
        }

        void Add(string section, string? key) =>
            found.Add(key is null ? $"[{section}] {Suffix}" : $"[{section}] {key} {Suffix}");
    }
}
