using System.Collections.Frozen;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Every configuration key the loader knows, in every spelling: the binder's "known key" checks and the reference
/// table in README.md (a test keeps the two equal) both come from here. A program key's row is its
/// <see cref="ProgramKeys"/> entry's; the other sections' keys are listed here.
/// </summary>
public static class KeyCatalogue
{
    private const SectionKind D = SectionKind.Daemon, G = SectionKind.Group,
        I = SectionKind.Include, U = SectionKind.UnixHttpServer, N = SectionKind.InetHttpServer, C = SectionKind.Ctl;

    /// <summary>All keys, grouped by section, in reference-table order; the program section's come from <see cref="ProgramKeys"/>.</summary>
    public static IReadOnlyList<KeyInfo> All { get; } =
    [
        .. ProgramKeys.All.Select(k => k.Info),

        new(G, "programs", "required", "Programs whose instances form this group, comma list."),
        new(G, "priority", "999", "Start order of the group."),

        new(I, "files", "required", "Space-separated globs of files to include, relative to the including file."),

        new(D, "logfile", "`%(here)s/taskmasterd.log`", "Activity log."),
        new(D, "logfile_maxbytes", "50MB", "Rotate the activity log at this size."),
        new(D, "logfile_backups", "10", "Rotated activity logs kept (at most 1000)."),
        new(D, "loglevel", "info", "critical, error, warn, info, debug, trace or blather."),
        new(D, "pidfile", "`%(here)s/taskmasterd.pid`", "Pid file of the daemon."),
        new(D, "nodaemon", "false", "Stay in the foreground."),
        new(D, "umask", "022", "umask of the daemon, octal."),
        new(D, "user", "none", "Switch to this user at startup (when root)."),
        new(D, "directory", "none", "chdir here when daemonizing."),
        new(D, "childlogdir", "system temp directory", "Where AUTO child logs go."),
        new(D, "environment", "none", "`K=V,...` added to every child's environment."),
        new(D, "minfds", "1024", "Minimum file descriptors required to start."),
        new(D, "minprocs", "200", "Minimum process slots required to start."),
        new(D, "identifier", "taskmaster", "Identifier reported by the control API."),
        new(D, "silent", "false", "Do not echo the log to stdout in the foreground.", false),
        new(D, "nocleanup", "false", "Keep the AUTO logs of earlier runs at startup (otherwise those of this identifier owned by the daemon's user are deleted, as supervisord does)."),
        new(D, "strip_ansi", "false", "Strip ANSI escapes from child logs.", false),

        new(U, "file", "/tmp/taskmaster.sock", "Path of the control socket."),
        new(U, "chmod", "0700", "Socket mode, octal."),
        new(U, "chown", "none", "`user` or `user:group` owning the socket."),
        new(U, "username", "none", "Basic-auth user."),
        new(U, "password", "none", "Basic-auth password (plain or `{SHA}` hash); username and password go together."),
        new(U, "max_connections", "256", "Connections served at once; more are closed at accept."),

        new(N, "port", "required", "`host:port` or `port` of the TCP control endpoint."),
        new(N, "username", "none", "Basic-auth user (required off loopback)."),
        new(N, "password", "none", "Basic-auth password; username and password go together."),
        new(N, "allowed_hosts", "none", "Comma list of extra names the `Host` header may carry (the bound name, `localhost` and IP literals always may); `*`: any."),
        new(N, "max_connections", "256", "Connections served at once; more are closed at accept."),

        new(C, "serverurl", "the unix socket", "`unix:///path` or `http://host:port`."),
        new(C, "username", "none", "User for the daemon."),
        new(C, "password", "none", "Password for the daemon; username and password go together."),
        new(C, "prompt", "taskmaster", "Shell prompt (followed by `> `)."),
        new(C, "history_file", "~/.taskmasterctl_history", "Shell history file."),
    ];

    private static readonly FrozenDictionary<(SectionKind, string), KeyInfo> ByName = All
        .SelectMany(k => k.Spellings.Select(spelling => (Key: (k.Section, spelling), Info: k)))
        .ToFrozenDictionary(p => p.Key, p => p.Info);

    /// <summary>The key named <paramref name="key"/> (either dialect) in a section of kind <paramref name="section"/>.</summary>
    public static KeyInfo? Find(SectionKind section, string key) =>
        ByName.TryGetValue((section, key), out var info) ? info : null;

    /// <summary>Every accepted spelling for a section kind (for did-you-mean).</summary>
    public static IEnumerable<string> Spellings(SectionKind section) =>
        All.Where(k => k.Section == section).SelectMany(k => k.Spellings);

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
        sb.Append("Generated from `ProgramKeys` and `KeyCatalogue` (a test keeps it in sync). Keys not implemented are accepted with a warning.\n\n");
        sb.Append("| section | key | aliases | default | meaning |\n");
        sb.Append("|---|---|---|---|---|\n");
        foreach (var k in All)
        {
            var meaning = k.Implemented ? k.Description : $"*not implemented (warning)*: {k.Description}";
            var aliases = string.Join(", ", k.Aliases.Select(a => $"`{a}`"));
            sb.Append($"| {Title(k.Section)} | `{k.Name}` | {aliases} | {k.Default} | {meaning.Replace("|", "\\|")} |\n");
        }
        sb.Append("\nAlso accepted: `[rpcinterface:x]` and `[ctlplugin:x]` (ignored), `[fcgi-program:x]` (warning: not supported). `[eventlistener:x]` takes every program key and `events`, `buffer_size`, `result_handler` (docs/listeners.md). ");
        sb.Append("Expansions: `%(here)s` (directory of the file holding the section), `%(program_name)s`, `%(group_name)s`, `%(process_num)d` (printf widths such as `%(process_num)02d`), `%(numprocs)d`, `%(host_node_name)s`, `%(ENV_NAME)s`, and `%%` for a literal `%`.\n");
        return sb.ToString();
    }
}
