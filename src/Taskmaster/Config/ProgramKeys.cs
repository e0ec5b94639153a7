using System.Collections.Immutable;
using Taskmaster.Events;
using Taskmaster.Posix;
using Taskmaster.Spawning;

namespace Taskmaster.Config;

/// <summary>
/// Every key of a program section, once. An entry holds the key's names, its default (written once, as a user would
/// write it), its parser, the <see cref="ProcessConfig"/> property it fills, what a reload does when it changes, how
/// <c>taskmasterd --check</c> shows it and its README row; the binder, <see cref="ProcessConfig.Equals(ProcessConfig?)"/>,
/// the reload delta, the printer and the reference table iterate <see cref="All"/> and know no key of their own.
/// </summary>
/// <remarks>
/// Adding a key: its property on <see cref="ProcessConfig"/> (initialised to the entry's <c>DefaultValue</c>) and its
/// entry here, at the place <c>--check</c> and README should show it. Keys are read in this order, so a key whose
/// parser looks at another setting comes after it; only <c>environment</c> is read before all others (see
/// <see cref="ConfigBinder"/>). Tests fail when a property has no entry, when an entry's Example does not reach its
/// property, and when README differs from the table.
/// </remarks>
internal static class ProgramKeys
{
    private const string OneName = "%(program_name)s", ManyNames = "%(program_name)s_%(process_num)02d";

    public static readonly ProgramKey<CommandLine> Command = new()
    {
        Name = "command", Aliases = ["cmd"], Default = KeyDefault.Required, Example = "/bin/true --example",
        ParseIn = SplitCommand, Get = c => c.Command, With = (c, v) => c with { Command = v }, Reload = OnReload.Restart,
        Format = v => v.Raw,
        Detail = c => ("argv", $"[{string.Join(", ", c.Command.Argv.Select(ValueFormat.Quote))}]  (executed directly)"),
        Meaning = "Command to run: split into words as supervisord does (shlex, POSIX rules) and executed directly, never through a shell; write `sh -c '…'` for one.",
    };

    public static readonly ProgramKey<string> ProcessName = new()
    {
        Name = "process_name", Example = "%(program_name)s_x",
        Default = KeyDefault.For($"`{OneName}`, or `{ManyNames}` when numprocs > 1", at => at.Numprocs > 1 ? ManyNames : OneName),
        Parse = ValueParsers.Name, Get = c => c.Name, With = (c, v) => c with { Name = v }, Reload = OnReload.Restart,
        Meaning = "Name of each instance; must differ between instances.",
    };

    public static readonly ProgramKey<int> Numprocs = new()
    {
        Name = "numprocs", Default = "1", Parse = ValueParsers.Integer(1, 10_000),
        Meaning = "Number of instances.",
    };

    public static readonly ProgramKey<int> NumprocsStart = new()
    {
        Name = "numprocs_start", Default = "0", Parse = ValueParsers.Integer(0, 1_000_000),
        Meaning = "`process_num` of the first instance.",
    };

    public static readonly ProgramKey<string?> Directory = new()
    {
        Name = "directory", Aliases = ["workingdir"], Default = KeyDefault.Unset("inherit"), Example = "/srv",
        ParseIn = (string text, InstanceScope at, out string? value, out ValueError error) => ValueParsers.Path(at.Here, text, out value, out error),
        Get = c => c.Directory, With = (c, v) => c with { Directory = v }, Reload = OnReload.Restart,
        Meaning = "Working directory (relative to the config file's directory).",
    };

    public static readonly ProgramKey<int?> Umask = new()
    {
        Name = "umask", Default = KeyDefault.Unset("inherit"), Example = "077",
        Parse = ValueParsers.Optional<int>(ValueParsers.Octal), Format = v => ValueFormat.Octal(v!.Value),
        Get = c => c.Umask, With = (c, v) => c with { Umask = v }, Reload = OnReload.Restart,
        Meaning = "umask, octal.",
    };

    public static readonly ProgramKey<string?> User = new()
    {
        Name = "user", Default = KeyDefault.Unset("none"), Example = "nobody",
        Parse = ValueParsers.NonEmptyOrNull, Get = c => c.User, With = (c, v) => c with { User = v }, Reload = OnReload.Restart,
        Meaning = "Run as this user (only when the daemon runs as root).",
    };

    public static readonly ProgramKey<ImmutableArray<KeyValuePair<string, string>>> Environment = new()
    {
        Name = "environment", Aliases = ["env"], Default = KeyDefault.Parsed("", shown: "none"), Example = "A=1,B=\"x, y\"",
        Parse = EnvironmentListParser.TryParse, Same = SameItems, Format = v => ValueFormat.Env(v),
        Get = c => c.Environment, With = (c, v) => c with { Environment = v }, Reload = OnReload.Restart,
        Meaning = "`K=V,K2=\"v, 2\"`, added to the daemon's environment.",
    };

    // An [eventlistener:x] instance is seeded with -1 (supervisord's listener default), which an absent key keeps.
    public static readonly ProgramKey<int> Priority = new()
    {
        Name = "priority", Default = KeyDefault.Parsed("999", shown: "999 (-1 in `[eventlistener:x]`)"), Example = "5",
        Parse = ValueParsers.Integer(int.MinValue), Get = c => c.Priority, With = (c, v) => c with { Priority = v }, Reload = OnReload.InPlace,
        Meaning = "Start order (ascending) and stop order (descending).",
    };

    public static readonly ProgramKey<bool> Autostart = new()
    {
        Name = "autostart", Default = "true", Example = "false",
        Parse = ValueParsers.Boolean, Get = c => c.Autostart, With = (c, v) => c with { Autostart = v }, Reload = OnReload.InPlace,
        Meaning = "Start when the daemon starts.",
    };

    public static readonly ProgramKey<AutoRestartPolicy> AutoRestart = new()
    {
        Name = "autorestart", Default = "unexpected", Example = "true",
        Parse = ValueParsers.AutoRestart, Get = c => c.AutoRestart, With = (c, v) => c with { AutoRestart = v }, Reload = OnReload.InPlace,
        Format = v => v switch { AutoRestartPolicy.Always => "true", AutoRestartPolicy.Never => "false", _ => "unexpected" },
        Meaning = "Restart after an exit from RUNNING: `true`, `false` or `unexpected` (exit code not in exitcodes).",
    };

    public static readonly ProgramKey<ImmutableArray<int>> ExitCodes = new()
    {
        Name = "exitcodes", Default = "0", Example = "0,2",
        Parse = ValueParsers.ExitCodes, Same = SameItems, Format = v => string.Join(",", v),
        Get = c => c.ExitCodes, With = (c, v) => c with { ExitCodes = v }, Reload = OnReload.InPlace,
        Meaning = "Expected exit codes, comma list of 0..255.",
    };

    public static readonly ProgramKey<int> StartSecs = new()
    {
        Name = "startsecs", Aliases = ["starttime"], Default = "1", Example = "7",
        Parse = ValueParsers.Integer(0), Get = c => c.StartSecs, With = (c, v) => c with { StartSecs = v }, Reload = OnReload.InPlace,
        Meaning = "Seconds the process must stay up to count as started.",
    };

    public static readonly ProgramKey<int> StartRetries = new()
    {
        Name = "startretries", Default = "3", Example = "9",
        Parse = ValueParsers.Integer(0), Get = c => c.StartRetries, With = (c, v) => c with { StartRetries = v }, Reload = OnReload.InPlace,
        Meaning = "Failed starts allowed before FATAL.",
    };

    // Restart pacing (DESIGN §7, PM2's and process-compose's names), off by default as in supervisord: an exit from
    // RUNNING that autorestart answers respawns at once unless these say otherwise.
    public static readonly ProgramKey<TimeSpan> RestartDelay = new()
    {
        Name = "restart_delay", Default = "0", Example = "2s",
        Parse = ValueParsers.Duration, Format = FormatDuration,
        Get = c => c.RestartDelay, With = (c, v) => c with { RestartDelay = v }, Reload = OnReload.InPlace,
        Meaning = "Pause before an automatic respawn after an exit from RUNNING (milliseconds when unitless, or `500ms`, `2s`, `1m`).",
    };

    public static readonly ProgramKey<TimeSpan> ExpBackoffRestartDelay = new()
    {
        Name = "exp_backoff_restart_delay", Default = "0", Example = "100ms",
        Parse = ValueParsers.Duration, Format = FormatDuration,
        Get = c => c.ExpBackoffRestartDelay, With = (c, v) => c with { ExpBackoffRestartDelay = v }, Reload = OnReload.InPlace,
        Meaning = "Exponential form of restart_delay: this pause, doubled at each quick respawn up to 15 s, back to it after a run of `min_uptime`; 0 = off.",
    };

    public static readonly ProgramKey<int?> MaxRestarts = new()
    {
        Name = "max_restarts", Default = KeyDefault.Unset("unlimited"), Example = "5",
        Parse = ValueParsers.Optional<int>(ValueParsers.Integer(0)),
        Get = c => c.MaxRestarts, With = (c, v) => c with { MaxRestarts = v }, Reload = OnReload.InPlace,
        Meaning = "FATAL after this many automatic respawns in a row that each lived less than `min_uptime`; unlimited by default, as in supervisord.",
    };

    public static readonly ProgramKey<TimeSpan> MinUptime = new()
    {
        Name = "min_uptime", Default = "1s", Example = "5s",
        Parse = ValueParsers.Duration, Format = FormatDuration,
        Get = c => c.MinUptime, With = (c, v) => c with { MinUptime = v }, Reload = OnReload.InPlace,
        Meaning = "A run shorter than this counts toward `max_restarts` and keeps `exp_backoff_restart_delay` growing.",
    };

    public static readonly ProgramKey<ExitOnPolicy> ExitOn = new()
    {
        Name = "exit_on", Aliases = ["essential"], Default = "never", Example = "fatal",
        Parse = ValueParsers.ExitOn, Format = v => v.ToString().ToLowerInvariant(),
        Get = c => c.ExitOn, With = (c, v) => c with { ExitOn = v }, Reload = OnReload.InPlace,
        Meaning = "End taskmasterd when this program fails, with its exit code (128+N for signal N; 1 for a FATAL without one): `never`, `fatal` (FATAL), `unexpected` (FATAL or an unexpected exit, instead of an autorestart), `any` (any exit on its own). `essential = true` means `any`. The other programs are stopped first, dependents before their dependencies (docs/containers.md).",
    };

    public static readonly ProgramKey<int> StopSignal = new()
    {
        Name = "stopsignal", Default = "TERM", Example = "INT",
        Parse = ValueParsers.Signal, Format = Signals.Name,
        Get = c => c.StopSignal, With = (c, v) => c with { StopSignal = v }, Reload = OnReload.InPlace,
        Meaning = "Stop signal: name with or without SIG, or number.",
    };

    public static readonly ProgramKey<int> StopWaitSecs = new()
    {
        Name = "stopwaitsecs", Aliases = ["stoptime"], Default = "10", Example = "3",
        Parse = ValueParsers.Integer(0), Get = c => c.StopWaitSecs, With = (c, v) => c with { StopWaitSecs = v }, Reload = OnReload.InPlace,
        Meaning = "Seconds between the stop signal and SIGKILL.",
    };

    public static readonly ProgramKey<bool> StopAsGroup = new()
    {
        Name = "stopasgroup", Default = "true", Example = "false",
        Parse = ValueParsers.Boolean, Get = c => c.StopAsGroup, With = (c, v) => c with { StopAsGroup = v }, Reload = OnReload.InPlace,
        Meaning = "Send the stop signal to the whole process group.",
    };

    public static readonly ProgramKey<bool> KillAsGroup = new()
    {
        Name = "killasgroup", Default = "true", Example = "false",
        Parse = ValueParsers.Boolean, Get = c => c.KillAsGroup, With = (c, v) => c with { KillAsGroup = v }, Reload = OnReload.InPlace,
        Check = c => c.StopAsGroup && !c.KillAsGroup
            ? "killasgroup=false needs stopasgroup=false too (stopping a group but killing only its leader would orphan the rest)"
            : null,
        Meaning = "Send SIGKILL to the whole process group.",
    };

    public static readonly ProgramKey<bool> RedirectStderr = new()
    {
        Name = "redirect_stderr", Default = "false", Example = "true",
        Parse = ValueParsers.Boolean, Get = c => c.RedirectStderr, With = (c, v) => c with { RedirectStderr = v }, Reload = OnReload.Restart,
        Check = c => c.IsListener && c.RedirectStderr
            ? "redirect_stderr=true is not allowed in [eventlistener:x]: a listener's stdout is its protocol channel"
            : null,
        Meaning = "Send stderr into the stdout log (not in `[eventlistener:x]`).",
    };

    // A log's size limit and backups are declared before the log itself, whose parser reads their defaults (a static
    // field is null until its own initialiser has run); All lists them after it.
    public static readonly ProgramKey<long> StdoutLogfileMaxbytes = new()
    {
        Name = "stdout_logfile_maxbytes", Default = "50MB", Example = "1KB", Printed = false,
        Parse = ValueParsers.ByteSize, Get = c => c.Stdout.MaxBytes, Reload = OnReload.InPlace,
        With = (c, v) => c.Stdout.Discards ? c : c with { Stdout = c.Stdout with { MaxBytes = v } },
        Meaning = "Rotate the stdout log at this size; 0 never rotates.",
    };

    public static readonly ProgramKey<int> StdoutLogfileBackups = new()
    {
        Name = "stdout_logfile_backups", Default = "10", Example = "2", Printed = false,
        Parse = ValueParsers.Integer(0, ValueParsers.MaxLogBackups), Get = c => c.Stdout.Backups, Reload = OnReload.InPlace,
        With = (c, v) => c.Stdout.Discards ? c : c with { Stdout = c.Stdout with { Backups = v } },
        Meaning = "Rotated stdout logs kept (at most 1000).",
    };

    // Dependencies (DESIGN §7): what a start waits for. Changing them never needs a new child: a reload swaps them in
    // place and the next start (or a start that is waiting now) follows the new graph.
    public static readonly ProgramKey<ImmutableArray<Dependency>> DependsOn = new()
    {
        Name = "depends_on", Aliases = ["dependent_startup_wait_for"], Default = KeyDefault.Parsed("", shown: "none"),
        Example = "db:healthy",
        ParseIn = DependencyListParser.TryParse, Same = SameItems, Format = v => string.Join(", ", v),
        Get = c => c.DependsOn, With = (c, v) => c with { DependsOn = v }, Reload = OnReload.InPlace,
        Meaning = "Programs or groups (every instance) to wait for before each start: `name[:condition]`, separated by commas or spaces; condition `running` (default), `started`, `healthy`, `log_ready`, `completed` (or `exited`), `completed_successfully` (process-compose's `process_*` words too). A start also starts a stopped dependency; stop and shutdown stop dependents first.",
    };

    public static readonly ProgramKey<bool> DependentStartup = new()
    {
        Name = "dependent_startup", Default = "false", Example = "true",
        Parse = ValueParsers.Boolean, Get = c => c.DependentStartup, With = (c, v) => c with { DependentStartup = v }, Reload = OnReload.InPlace,
        Meaning = "supervisord-dependent-startup's switch: start when the daemon starts, once `depends_on` is met, even with autostart=false.",
    };

    // The output pipes are wired at spawn time (a file, or /dev/null for NONE): a new path needs a new child. Whether
    // a path came from AUTO is not part of the setting: the same file either way.
    public static readonly ProgramKey<LogTarget> StdoutLogfile = new()
    {
        Name = "stdout_logfile", Aliases = ["stdout"], Default = "AUTO", Example = "out.log",
        ParseIn = (string text, InstanceScope at, out LogTarget value, out ValueError error) =>
            LogFile("stdout", text, at, StdoutLogfileMaxbytes.DefaultValue, StdoutLogfileBackups.DefaultValue, out value, out error),
        Same = (a, b) => a.Path == b.Path, Format = ValueFormat.Target,
        Get = c => c.Stdout, With = (c, v) => c with { Stdout = v }, Reload = OnReload.Restart,
        Meaning = "stdout log: a path (relative to the config file's directory), `AUTO` = a file of mode 0600 in `childlogdir`, `{process_name}-stdout---{identifier}-{random}.log` as supervisord names it (in a private 0700 directory when childlogdir is writable by other users), `NONE` discards. With numprocs > 1 and no `%(process_num)`, instance N writes `path.N`.",
    };

    public static readonly ProgramKey<long> StderrLogfileMaxbytes = new()
    {
        Name = "stderr_logfile_maxbytes", Default = "50MB", Example = "1KB", Printed = false,
        Parse = ValueParsers.ByteSize, Get = c => c.Stderr.MaxBytes, Reload = OnReload.InPlace,
        With = (c, v) => c.Stderr.Discards ? c : c with { Stderr = c.Stderr with { MaxBytes = v } },
        Meaning = "Rotate the stderr log at this size; 0 never rotates.",
    };

    public static readonly ProgramKey<int> StderrLogfileBackups = new()
    {
        Name = "stderr_logfile_backups", Default = "10", Example = "2", Printed = false,
        Parse = ValueParsers.Integer(0, ValueParsers.MaxLogBackups), Get = c => c.Stderr.Backups, Reload = OnReload.InPlace,
        With = (c, v) => c.Stderr.Discards ? c : c with { Stderr = c.Stderr with { Backups = v } },
        Meaning = "Rotated stderr logs kept (at most 1000).",
    };

    public static readonly ProgramKey<LogTarget> StderrLogfile = new()
    {
        Name = "stderr_logfile", Aliases = ["stderr"], Default = "AUTO", Example = "err.log",
        ParseIn = (string text, InstanceScope at, out LogTarget value, out ValueError error) =>
        {
            if (!LogFile("stderr", text, at, StderrLogfileMaxbytes.DefaultValue, StderrLogfileBackups.DefaultValue, out value, out error))
                return false;
            if (!at.Config.RedirectStderr) return true;
            if (value is { IsAuto: false, Discards: false })
                at.Warn("redirect_stderr=true sends stderr to the stdout log; this stderr log file is ignored");
            value = LogTarget.Discard;
            return true;
        },
        Same = (a, b) => a.Path == b.Path,
        ShowWith = c => c.RedirectStderr ? "(redirected to stdout)" : ValueFormat.Target(c.Stderr),
        Get = c => c.Stderr, With = (c, v) => c with { Stderr = v }, Reload = OnReload.Restart,
        Meaning = "stderr log, as stdout_logfile (`{process_name}-stderr---{identifier}-{random}.log`); ignored with redirect_stderr.",
    };

    public static readonly ProgramKey<long> StdoutCaptureMaxBytes = new()
    {
        Name = "stdout_capture_maxbytes", Default = "0", Example = "1KB",
        Parse = ValueParsers.ByteSize, Get = c => c.StdoutCaptureMaxBytes, With = (c, v) => c with { StdoutCaptureMaxBytes = v },
        Reload = OnReload.Restart,
        Meaning = "Capture mode: what stdout writes between `<!--XSUPERVISOR:BEGIN-->` and `<!--XSUPERVISOR:END-->` (its last this many bytes) becomes a PROCESS_COMMUNICATION_STDOUT event; 0 = off.",
    };

    public static readonly ProgramKey<bool> StdoutEventsEnabled = new()
    {
        Name = "stdout_events_enabled", Default = "false", Example = "true",
        Parse = ValueParsers.Boolean, Get = c => c.StdoutEventsEnabled, With = (c, v) => c with { StdoutEventsEnabled = v },
        Reload = OnReload.Restart,
        Meaning = "Send a PROCESS_LOG_STDOUT event for each chunk of stdout.",
    };

    public static readonly ProgramKey<long> StderrCaptureMaxBytes = new()
    {
        Name = "stderr_capture_maxbytes", Default = "0", Example = "1KB",
        Parse = ValueParsers.ByteSize, Get = c => c.StderrCaptureMaxBytes, With = (c, v) => c with { StderrCaptureMaxBytes = v },
        Reload = OnReload.Restart,
        Meaning = "Capture mode on stderr (PROCESS_COMMUNICATION_STDERR), as stdout_capture_maxbytes.",
    };

    public static readonly ProgramKey<bool> StderrEventsEnabled = new()
    {
        Name = "stderr_events_enabled", Default = "false", Example = "true",
        Parse = ValueParsers.Boolean, Get = c => c.StderrEventsEnabled, With = (c, v) => c with { StderrEventsEnabled = v },
        Reload = OnReload.Restart,
        Meaning = "Send a PROCESS_LOG_STDERR event for each chunk of stderr.",
    };

    public static readonly ProgramKey<string?> ServerUrl = new()
    {
        Name = "serverurl", Default = KeyDefault.Parsed("AUTO", shown: "AUTO"), Example = "http://127.0.0.1:9001",
        Parse = (string text, out string? value, out ValueError error) =>
        {
            error = default;
            value = text.Trim() is var t && (t.Length == 0 || t.Equals("AUTO", StringComparison.OrdinalIgnoreCase)) ? null : t;
            return true;
        },
        Get = c => c.ServerUrl, With = (c, v) => c with { ServerUrl = v }, Reload = OnReload.Restart,
        Meaning = "The child's `SUPERVISOR_SERVER_URL`; AUTO: the daemon's unix socket as `unix:///path` (else its TCP port as `http://host:port`), as supervisord sets it.",
    };

    public static readonly ProgramKey<EventType> Events = new()
    {
        Name = "events", Default = KeyDefault.For("required in `[eventlistener:x]`", _ => ""), Example = "PROCESS_STATE,TICK_60",
        ParseIn = ParseEvents, ShowWith = c => c.IsListener ? string.Join(",", EventTypeNames.Concrete(c.Events).Select(EventTypeNames.NameOf)) : null,
        Get = c => c.Events, With = (c, v) => c with { Events = v }, Reload = OnReload.Restart,
        Check = c => c.IsListener && c.Events == EventType.None ? "[eventlistener:x] needs 'events' (a comma list of event types, e.g. PROCESS_STATE)" : null,
        Meaning = "`[eventlistener:x]` only: event types the pool receives, comma list; an abstract type (`PROCESS_STATE`, `TICK`, `EVENT`…) means all its subtypes.",
    };

    public static readonly ProgramKey<int> BufferSize = new()
    {
        Name = "buffer_size", Default = "10", Example = "50",
        Parse = ValueParsers.Integer(1, 1_000_000), Get = c => c.BufferSize, With = (c, v) => c with { BufferSize = v },
        ShowWith = c => c.IsListener ? ValueFormat.Plain(c.BufferSize) : null,
        Reload = OnReload.Restart,
        Meaning = "`[eventlistener:x]` only: events queued for the pool; on overflow the oldest is dropped (and logged).",
    };

    /// <summary>supervisor's one built-in result handler: only <c>OK</c> accepts an event.</summary>
    public const string DefaultResultHandler = "supervisor.dispatchers:default_handler";

    public static readonly ProgramKey<string> ResultHandler = new()
    {
        Name = "result_handler", Default = DefaultResultHandler, Example = "mylib:handler",
        ParseIn = (string text, InstanceScope at, out string value, out ValueError error) =>
        {
            error = default;
            value = text.Trim();
            if (value != DefaultResultHandler)
                at.Warn($"a Python result handler cannot run here; {DefaultResultHandler}'s rule applies (OK accepts, anything else is sent again)");
            return true;
        },
        Get = c => c.ResultHandler, With = (c, v) => c with { ResultHandler = v }, Reload = OnReload.Restart,
        ShowWith = c => c.IsListener ? c.ResultHandler : null,
        Meaning = "`[eventlistener:x]` only: how a result is judged; supervisor's default (`OK` accepts, anything else re-sends) is the only one.",
    };

    // ---- Issue 20, items 1-3 (env files, log stamps, resource limits): one block, listed together in All. ----
    // Aliases are written in lower case because the reader lowers every key (as supervisord's ConfigParser does): the
    // Go port's `envFiles` and systemd's `LimitNOFILE` match `envfiles` and `limitnofile` as written.

    public static readonly ProgramKey<EnvFileSet> EnvFile = new()
    {
        Name = "env_file", Aliases = ["envfiles", "environment_file"], Default = KeyDefault.Parsed("", shown: "none"),
        Example = "/etc/os-release",
        ParseIn = EnvFileReader.TryRead, Same = EnvFileSet.SameVariables,
        ShowWith = c => c.EnvFiles.IsEmpty ? "(none)" : ValueFormat.EnvFiles(c.EnvFiles),
        Get = c => c.EnvFiles, With = (c, v) => c with { EnvFiles = v }, Reload = OnReload.Restart,
        Meaning = "Dotenv files read into the environment (systemd's `EnvironmentFile=`), comma list, relative to the config file's directory; `-path` may be missing. `NAME=value` lines, `export` allowed, `#` comments, single quotes literal, double quotes with backslash escapes; nothing is expanded. Later files win, `environment` wins over all; errors point at `file:line:col`. Read again at each reread: `update` restarts only a program whose resulting variables changed.",
    };

    public static readonly ProgramKey<LogStampFormat?> LogTimestamps = new()
    {
        Name = "log_timestamps", Aliases = ["time"], Default = "false", Example = "true",
        Parse = LogStampFormat.TryParse, ShowWith = c => c.LogTimestamps?.ToString() ?? "false",
        Get = c => c.LogTimestamps, With = (c, v) => c with { LogTimestamps = v }, Reload = OnReload.Restart,
        Meaning = "Stamp each line of both streams' logs, then a space: `true` (local ISO 8601 with milliseconds and offset, `2026-12-06T05:35:18.123+01:00`), `utc` (`…18.123Z`), PM2's day.js tokens (`YYYY-MM-DD HH:mm:ss.SSS Z`), or a strftime format with each `%` doubled, as supervisord wants in any value (`%%F %%T.%%L`; fields `%%Y %%m %%d %%H %%M %%S %%L`=ms `%%f`=µs `%%z %%:z %%j %%b %%a %%T %%F %%s`; a leading `!` writes UTC). PM2's `time` is read as this key. Each chunk read is stamped with the time it arrived, at line starts only; `tail --since` picks lines by the stamps.",
    };

    // PM2 writes `time = true` and `log_date_format = …` together; as one key's two spellings they would be refused as a
    // repeat, so the format is a key of its own, which also turns stamps on (as in PM2).
    public static readonly ProgramKey<LogStampFormat?> LogDateFormat = new()
    {
        Name = "log_date_format", Default = KeyDefault.Unset("none"), Example = "YYYY-MM-DD HH:mm:ss.SSS Z",
        Parse = LogStampFormat.TryParse, ShowWith = c => c.LogDateFormat?.ToString(), // a line only when set
        Get = c => c.LogDateFormat, With = (c, v) => c with { LogDateFormat = v }, Reload = OnReload.Restart,
        Meaning = "PM2's name: the format of both streams' stamps (as `log_timestamps` reads one), which turns them on; it wins over `log_timestamps`'s format.",
    };

    public static readonly ProgramKey<LogStampFormat?> StdoutLogTimestamps = new()
    {
        Name = "stdout_log_timestamps", Default = KeyDefault.Unset("as `log_timestamps`"), Example = "utc",
        Parse = LogStampFormat.TryParseStream, Format = v => v!.ToString(),
        ShowWith = c => c.StdoutLogTimestamps?.ToString(), // a line only where the stream has its own
        Get = c => c.StdoutLogTimestamps, With = (c, v) => c with { StdoutLogTimestamps = v }, Reload = OnReload.Restart,
        Meaning = "stdout's own stamp, as `log_timestamps` (`false` turns it off for this stream).",
    };

    public static readonly ProgramKey<LogStampFormat?> StderrLogTimestamps = new()
    {
        Name = "stderr_log_timestamps", Default = KeyDefault.Unset("as `log_timestamps`"), Example = "utc",
        Parse = LogStampFormat.TryParseStream, Format = v => v!.ToString(),
        ShowWith = c => c.StderrLogTimestamps?.ToString(), // a line only where the stream has its own
        Get = c => c.StderrLogTimestamps, With = (c, v) => c with { StderrLogTimestamps = v }, Reload = OnReload.Restart,
        Meaning = "stderr's own stamp, as `log_timestamps` (`false` turns it off for this stream).",
    };

    public static readonly ProgramKey<ResourceLimit?> RlimitNofile = Rlimit("nofile", ResourceLimits.RLIMIT_NOFILE, false,
        c => c.RlimitNofile, (c, v) => c with { RlimitNofile = v }, "Open files (`LimitNOFILE=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitNproc = Rlimit("nproc", ResourceLimits.RLIMIT_NPROC, false,
        c => c.RlimitNproc, (c, v) => c with { RlimitNproc = v }, "Processes of the child's user (`LimitNPROC=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitCore = Rlimit("core", ResourceLimits.RLIMIT_CORE, true,
        c => c.RlimitCore, (c, v) => c with { RlimitCore = v }, "Core dump size in bytes (`LimitCORE=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitMemlock = Rlimit("memlock", ResourceLimits.RLIMIT_MEMLOCK, true,
        c => c.RlimitMemlock, (c, v) => c with { RlimitMemlock = v }, "Locked memory in bytes (`LimitMEMLOCK=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitAs = Rlimit("as", ResourceLimits.RLIMIT_AS, true,
        c => c.RlimitAs, (c, v) => c with { RlimitAs = v }, "Address space in bytes (`LimitAS=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitFsize = Rlimit("fsize", ResourceLimits.RLIMIT_FSIZE, true,
        c => c.RlimitFsize, (c, v) => c with { RlimitFsize = v }, "Largest file the child may write, bytes (`LimitFSIZE=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitStack = Rlimit("stack", ResourceLimits.RLIMIT_STACK, true,
        c => c.RlimitStack, (c, v) => c with { RlimitStack = v }, "Stack size in bytes (`LimitSTACK=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitCpu = Rlimit("cpu", ResourceLimits.RLIMIT_CPU, false,
        c => c.RlimitCpu, (c, v) => c with { RlimitCpu = v }, "CPU seconds (`LimitCPU=`).");
    public static readonly ProgramKey<ResourceLimit?> RlimitData = Rlimit("data", ResourceLimits.RLIMIT_DATA, true,
        c => c.RlimitData, (c, v) => c with { RlimitData = v }, "Data segment in bytes (`LimitDATA=`).");

    /// <summary>The keys of issue 20's items 1-3, in table order.</summary>
    private static ImmutableArray<ProgramKey> EnvStampLimitKeys =>
    [
        EnvFile, LogTimestamps, LogDateFormat, StdoutLogTimestamps, StderrLogTimestamps,
        RlimitNofile, RlimitNproc, RlimitCore, RlimitMemlock, RlimitAs, RlimitFsize, RlimitStack, RlimitCpu, RlimitData,
    ];

    /// <summary>An <c>rlimit_NAME</c> key; systemd's <c>LimitNAME</c> is its alias. Applied by prlimit(1) before the
    /// command runs (see <see cref="PosixSpawner"/>).</summary>
    private static ProgramKey<ResourceLimit?> Rlimit(string name, int resource, bool bytes,
        Func<ProcessConfig, ResourceLimit?> get, Func<ProcessConfig, ResourceLimit?, ProcessConfig> with, string what) => new()
    {
        Name = $"rlimit_{name}", Aliases = [$"limit{name}"], Default = KeyDefault.Unset("inherit"),
        Example = bytes ? "64MB:infinity" : "512:1024",
        Parse = ResourceLimitParser.For(resource, name, bytes), Format = v => v!.ToString(),
        ShowWith = c => get(c)?.ToString(), // --check shows the limits a program sets, not nine lines of "inherit"
        Get = get, With = with, Reload = OnReload.Restart,
        Meaning = $"{what} `soft[:hard]`, each a {(bytes ? "size (`64MB`)" : "number")} or `infinity`; one value sets both. Set in the child before its command runs; above taskmasterd's own hard limit only when it runs as root.",
    };

    // ---- end of issue 20, items 1-3 ----

    /// <summary>Every key in reference-table order: <c>--check</c>'s lines and reload's field lists follow it too.</summary>
    public static ImmutableArray<ProgramKey> All { get; } = Validated(
    [
        Command, ProcessName, Numprocs, NumprocsStart, Directory, Umask, User, Environment,
        Priority, Autostart, DependsOn, DependentStartup, AutoRestart, ExitCodes, StartSecs, StartRetries, RestartDelay, ExpBackoffRestartDelay, MaxRestarts, MinUptime, ExitOn, StopSignal, StopWaitSecs, StopAsGroup, KillAsGroup,
        .. ProbeKeys.Readiness, .. ProbeKeys.Liveness,
        NotImplemented("liveness_check_success_action", KeyDefault.Unset("none"), "The Go port's script run after a successful liveness check."),
        .. EnvStampLimitKeys,
        // Issue #20, points 4-6: hooks, schedules, restart triggers (each block in its own file).
        .. HookKeys.All,
        .. ScheduleKeys.All,
        .. RestartTriggerKeys.All,
        RedirectStderr, StdoutLogfile, StdoutLogfileMaxbytes, StdoutLogfileBackups, StderrLogfile, StderrLogfileMaxbytes, StderrLogfileBackups,
        StdoutCaptureMaxBytes, StdoutEventsEnabled,
        NotImplemented("stdout_syslog", "false", "Copy stdout to syslog."),
        StderrCaptureMaxBytes, StderrEventsEnabled,
        NotImplemented("stderr_syslog", "false", "Copy stderr to syslog."),
        ServerUrl, Events, BufferSize, ResultHandler,
    ]);

    /// <summary>The keys that are settings of each instance (a <see cref="ProcessConfig"/> property each), in table order.</summary>
    public static ImmutableArray<ProgramKey> Settings { get; } = [.. All.Where(k => k.IsSetting)];

    private static ProgramKey<string> NotImplemented(string name, KeyDefault @default, string meaning) =>
        new() { Name = name, Default = @default, Meaning = meaning, Implemented = false };

    private static ImmutableArray<ProgramKey> Validated(ImmutableArray<ProgramKey> keys)
    {
        foreach (var key in keys) key.Validate();
        var spellings = keys.SelectMany(k => k.Aliases.Add(k.Name)).ToList();
        if (spellings.Distinct(StringComparer.Ordinal).Count() != spellings.Count)
            throw new InvalidOperationException("two program keys share a spelling");
        return keys;
    }

    /// <summary><c>events</c>: supervisor's type names, case-insensitive; read only in an <c>[eventlistener:x]</c>.</summary>
    private static bool ParseEvents(string text, InstanceScope at, out EventType value, out ValueError error)
    {
        value = EventType.None;
        error = default;
        if (text.Trim().Length == 0) return true;
        if (!at.Config.IsListener)
        {
            at.Warn("only [eventlistener:x] sections read 'events'; ignored");
            return true;
        }
        var offset = 0;
        foreach (var part in text.Split(','))
        {
            var name = part.Trim();
            var at0 = offset + part.Length - part.TrimStart().Length;
            offset += part.Length + 1;
            if (name.Length == 0) continue;
            if (EventTypeNames.TryParse(name, out var type))
            {
                value |= type;
                continue;
            }
            var hint = DidYouMean.Suggest(name.ToUpperInvariant(), EventTypeNames.All);
            error = new ValueError(hint is null ? $"unknown event type '{name}'" : $"unknown event type '{name}' (did you mean {hint}?)", at0);
            return false;
        }
        return true;
    }

    private static string FormatDuration(TimeSpan d) => $"{(long)d.TotalMilliseconds}ms";

    private static bool SameItems<TItem>(ImmutableArray<TItem> a, ImmutableArray<TItem> b) => a.SequenceEqual(b);

    /// <summary><c>command</c>: supervisord's split; a command that looks written for a shell still runs without one,
    /// and the warning shows the argv it will run.</summary>
    private static bool SplitCommand(string text, InstanceScope at, out CommandLine value, out ValueError error)
    {
        var split = CommandLineSplitter.TrySplit(text, out value, out var message, out var offset);
        error = split ? default : new ValueError(message, offset);
        if (split && CommandLineSplitter.ShellLookalike(text) is { } lookalike)
            at.Warn($"the command holds what looks like shell syntax ({lookalike}), but it runs without a shell, " +
                $"as argv [{string.Join(", ", value.Argv.Select(CommandResolver.PythonRepr))}]; write sh -c '...' if a shell was meant");
        return split;
    }

    /// <summary><c>stdout_logfile</c> / <c>stderr_logfile</c>: a path relative to the file, <c>AUTO</c> (a file named
    /// after the instance in <c>childlogdir</c>) or <c>NONE</c>.</summary>
    private static bool LogFile(string stream, string text, InstanceScope at, long maxBytes, int backups,
        out LogTarget value, out ValueError error)
    {
        error = default;
        value = LogTarget.Discard;
        var written = text.Trim();
        switch (written.ToLowerInvariant())
        {
            case "auto":
                value = new LogTarget(at.AutoLogs.PathFor(at.Config.Name, stream), true, maxBytes, backups);
                return true;
            case "none" or "off":
                return true;
            case "syslog":
                at.Warn("syslog logging is not implemented; output discarded");
                return true;
            case "":
                error = new ValueError("must not be empty (a path, AUTO or NONE)");
                return false;
        }
        var path = System.IO.Path.GetFullPath(System.IO.Path.Combine(at.Here, written));
        // Several instances must not share one file: without %(process_num) each gets its own suffix.
        if (at.Numprocs > 1 && at.Entry?.Value.Contains("%(process_num)", StringComparison.Ordinal) != true)
            path = $"{path}.{at.ProcessNum}";
        // Another user who can rename names in the directory could put a file of theirs (to read a root program's
        // output) or a symlink (to redirect it) in the log's place between two opens.
        if (Posix.StateFile.UnsafeDirectoryReason(System.IO.Path.GetDirectoryName(path)!) is { } unsafeDirectory)
        {
            error = new ValueError($"refusing a log file where another user could replace it: {unsafeDirectory}");
            return false;
        }
        value = new LogTarget(path, false, maxBytes, backups);
        return true;
    }
}
