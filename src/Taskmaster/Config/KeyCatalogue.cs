using System.Collections.Frozen;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Every configuration key the loader knows, in both dialects. The single source of truth for the
/// binder's "known key" checks and for the reference table in README.md (a test keeps the two equal).
/// </summary>
public static class KeyCatalogue
{
    private const SectionKind D = SectionKind.Daemon, P = SectionKind.Program, G = SectionKind.Group,
        I = SectionKind.Include, U = SectionKind.UnixHttpServer, N = SectionKind.InetHttpServer, C = SectionKind.Ctl;

    /// <summary>All keys, grouped by section, in reference-table order.</summary>
    public static IReadOnlyList<KeyInfo> All { get; } =
    [
        new(P, "command", "cmd", "required", "Command to run: split into words as supervisord does (shlex, POSIX rules) and executed directly, never through a shell; write `sh -c '…'` for one."),
        new(P, "process_name", null, "`%(program_name)s`, or `%(program_name)s_%(process_num)02d` when numprocs > 1", "Name of each instance; must differ between instances."),
        new(P, "numprocs", null, "1", "Number of instances."),
        new(P, "numprocs_start", null, "0", "`process_num` of the first instance."),
        new(P, "priority", null, "999", "Start order (ascending) and stop order (descending)."),
        new(P, "autostart", null, "true", "Start when the daemon starts."),
        new(P, "autorestart", null, "unexpected", "Restart after an exit from RUNNING: `true`, `false` or `unexpected` (exit code not in exitcodes)."),
        new(P, "startsecs", "starttime", "1", "Seconds the process must stay up to count as started."),
        new(P, "startretries", null, "3", "Failed starts allowed before FATAL."),
        new(P, "exitcodes", null, "0", "Expected exit codes, comma list of 0..255."),
        new(P, "stopsignal", null, "TERM", "Stop signal: name with or without SIG, or number."),
        new(P, "stopwaitsecs", "stoptime", "10", "Seconds between the stop signal and SIGKILL."),
        new(P, "stopasgroup", null, "true", "Send the stop signal to the whole process group."),
        new(P, "killasgroup", null, "true", "Send SIGKILL to the whole process group."),
        new(P, "user", null, "none", "Run as this user (only when the daemon runs as root)."),
        new(P, "redirect_stderr", null, "false", "Send stderr into the stdout log."),
        new(P, "stdout_logfile", "stdout", "AUTO", "stdout log: a path (relative to the config file's directory), `AUTO` = `{childlogdir}/{process_name}-stdout.log`, `NONE` discards. With numprocs > 1 and no `%(process_num)`, instance N writes `path.N`."),
        new(P, "stdout_logfile_maxbytes", null, "50MB", "Rotate the stdout log at this size; 0 never rotates."),
        new(P, "stdout_logfile_backups", null, "10", "Rotated stdout logs kept."),
        new(P, "stderr_logfile", "stderr", "AUTO", "stderr log, as stdout_logfile (`{process_name}-stderr.log`); ignored with redirect_stderr."),
        new(P, "stderr_logfile_maxbytes", null, "50MB", "Rotate the stderr log at this size; 0 never rotates."),
        new(P, "stderr_logfile_backups", null, "10", "Rotated stderr logs kept."),
        new(P, "environment", "env", "none", "`K=V,K2=\"v, 2\"`, added to the daemon's environment."),
        new(P, "directory", "workingdir", "inherit", "Working directory (relative to the config file's directory)."),
        new(P, "umask", null, "inherit", "umask, octal."),
        new(P, "stdout_capture_maxbytes", null, "0", "supervisord's capture mode.", false),
        new(P, "stdout_events_enabled", null, "false", "supervisord's PROCESS_LOG events.", false),
        new(P, "stdout_syslog", null, "false", "Copy stdout to syslog.", false),
        new(P, "stderr_capture_maxbytes", null, "0", "supervisord's capture mode.", false),
        new(P, "stderr_events_enabled", null, "false", "supervisord's PROCESS_LOG events.", false),
        new(P, "stderr_syslog", null, "false", "Copy stderr to syslog.", false),
        new(P, "serverurl", null, "AUTO", "URL passed to the child as SUPERVISOR_SERVER_URL.", false),
        new(P, "depends_on", null, "none", "Start after other programs (supervisord fork feature).", false),

        new(G, "programs", null, "required", "Programs whose instances form this group, comma list."),
        new(G, "priority", null, "999", "Start order of the group."),

        new(I, "files", null, "required", "Space-separated globs of files to include, relative to the including file."),

        new(D, "logfile", null, "`%(here)s/taskmasterd.log`", "Activity log."),
        new(D, "logfile_maxbytes", null, "50MB", "Rotate the activity log at this size."),
        new(D, "logfile_backups", null, "10", "Rotated activity logs kept."),
        new(D, "loglevel", null, "info", "critical, error, warn, info, debug, trace or blather."),
        new(D, "pidfile", null, "`%(here)s/taskmasterd.pid`", "Pid file of the daemon."),
        new(D, "nodaemon", null, "false", "Stay in the foreground."),
        new(D, "umask", null, "022", "umask of the daemon, octal."),
        new(D, "user", null, "none", "Switch to this user at startup (when root)."),
        new(D, "directory", null, "none", "chdir here when daemonizing."),
        new(D, "childlogdir", null, "system temp directory", "Where AUTO child logs go."),
        new(D, "environment", null, "none", "`K=V,...` added to every child's environment."),
        new(D, "minfds", null, "1024", "Minimum file descriptors required to start."),
        new(D, "minprocs", null, "200", "Minimum process slots required to start."),
        new(D, "identifier", null, "taskmaster", "Identifier reported by the control API."),
        new(D, "silent", null, "false", "Do not echo the log to stdout in the foreground.", false),
        new(D, "nocleanup", null, "false", "Keep AUTO logs at startup.", false),
        new(D, "strip_ansi", null, "false", "Strip ANSI escapes from child logs.", false),

        new(U, "file", null, "/tmp/taskmaster.sock", "Path of the control socket."),
        new(U, "chmod", null, "0700", "Socket mode, octal."),
        new(U, "chown", null, "none", "`user` or `user:group` owning the socket."),
        new(U, "username", null, "none", "Basic-auth user."),
        new(U, "password", null, "none", "Basic-auth password (plain or `{SHA}` hash)."),

        new(N, "port", null, "required", "`host:port` or `port` of the TCP control endpoint."),
        new(N, "username", null, "none", "Basic-auth user (required off loopback)."),
        new(N, "password", null, "none", "Basic-auth password."),

        new(C, "serverurl", null, "the unix socket", "`unix:///path` or `http://host:port`."),
        new(C, "username", null, "none", "User for the daemon."),
        new(C, "password", null, "none", "Password for the daemon."),
        new(C, "prompt", null, "taskmaster", "Shell prompt (followed by `> `)."),
        new(C, "history_file", null, "~/.taskmasterctl_history", "Shell history file."),
    ];

    private static readonly FrozenDictionary<(SectionKind, string), KeyInfo> ByName = All
        .SelectMany(k => k.ShortName is null ? [((k.Section, k.Name), k)] : new[] { ((k.Section, k.Name), k), ((k.Section, k.ShortName), k) })
        .ToFrozenDictionary(p => p.Item1, p => p.k);

    /// <summary>The key named <paramref name="key"/> (either dialect) in a section of kind <paramref name="section"/>.</summary>
    public static KeyInfo? Find(SectionKind section, string key) =>
        ByName.TryGetValue((section, key), out var info) ? info : null;

    /// <summary>Every accepted spelling for a section kind (for did-you-mean).</summary>
    public static IEnumerable<string> Spellings(SectionKind section) =>
        All.Where(k => k.Section == section).SelectMany(k => k.ShortName is null ? [k.Name] : new[] { k.Name, k.ShortName });

    private static string Title(SectionKind kind) => kind switch
    {
        SectionKind.Program => "`[program:x]` / `[x]`",
        SectionKind.Group => "`[group:x]`",
        SectionKind.Include => "`[include]`",
        SectionKind.Daemon => "`[supervisord]` / `[taskmasterd]`",
        SectionKind.UnixHttpServer => "`[unix_http_server]`",
        SectionKind.InetHttpServer => "`[inet_http_server]`",
        SectionKind.Ctl => "`[supervisorctl]` / `[taskmasterctl]`",
        _ => kind.ToString(),
    };

    /// <summary>The reference table, as it appears in README.md between the config-reference markers.</summary>
    public static string RenderMarkdown()
    {
        var sb = new StringBuilder();
        sb.Append("Generated from `KeyCatalogue` (a test keeps it in sync). Keys not implemented are accepted with a warning.\n\n");
        sb.Append("| section | key | short dialect | default | meaning |\n");
        sb.Append("|---|---|---|---|---|\n");
        foreach (var k in All)
        {
            var meaning = k.Implemented ? k.Description : $"*not implemented (warning)*: {k.Description}";
            sb.Append($"| {Title(k.Section)} | `{k.Name}` | {(k.ShortName is null ? "" : $"`{k.ShortName}`")} | {k.Default} | {meaning.Replace("|", "\\|")} |\n");
        }
        sb.Append("\nAlso accepted: `[rpcinterface:x]` and `[ctlplugin:x]` (ignored), `[eventlistener:x]` and `[fcgi-program:x]` (warning: not supported). ");
        sb.Append("Expansions: `%(here)s` (directory of the file holding the section), `%(program_name)s`, `%(group_name)s`, `%(process_num)d` (printf widths such as `%(process_num)02d`), `%(numprocs)d`, `%(host_node_name)s`, `%(ENV_NAME)s`, and `%%` for a literal `%`.\n");
        return sb.ToString();
    }
}
