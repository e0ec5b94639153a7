using System.Collections.Immutable;
using Taskmaster.Events;
using Taskmaster.Names;

namespace Taskmaster.Config;

/// <summary>
/// One supervised process instance, fully resolved: every expansion done, every default applied.
/// A program with <c>numprocs = 4</c> yields four of these. This is what the engine consumes; it
/// never sees text.
/// </summary>
/// <remarks>
/// Every property but where the instance sits (<see cref="GroupName"/>, <see cref="ProgramName"/>,
/// <see cref="ProcessNum"/>) and <see cref="Origins"/> is the setting of one <see cref="ProgramKeys"/> entry, which
/// holds its default, parser, reload effect and printer; a test fails when a property has none.
/// </remarks>
public sealed record ProcessConfig
{
    /// <summary>Instance name (<c>process_name</c> after expansion), unique within its group.</summary>
    public required string Name { get; init; }
    /// <summary>The group this instance belongs to (the program name unless a <c>[group:x]</c> claims it).</summary>
    public required string GroupName { get; init; }
    /// <summary>The <c>[program:x]</c> / <c>[x]</c> section it came from.</summary>
    public required string ProgramName { get; init; }
    /// <summary><c>process_num</c> of this instance (numprocs_start + index).</summary>
    public required int ProcessNum { get; init; }
    /// <summary>True for an instance of an <c>[eventlistener:x]</c> pool: its stdout speaks supervisor's listener protocol.</summary>
    public bool IsListener { get; init; }
    public required CommandLine Command { get; init; }
    /// <summary>Working directory, or null to inherit the daemon's.</summary>
    public string? Directory { get; init; } = ProgramKeys.Directory.DefaultValue;
    /// <summary>umask, or null to inherit the daemon's.</summary>
    public int? Umask { get; init; } = ProgramKeys.Umask.DefaultValue;
    /// <summary>User name to run as (only honoured when the daemon is root), or null.</summary>
    public string? User { get; init; } = ProgramKeys.User.DefaultValue;
    /// <summary>Variables added to (or replacing in) the daemon's environment, in file order.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = ProgramKeys.Environment.DefaultValue;
    public int Priority { get; init; } = ProgramKeys.Priority.DefaultValue;
    public bool Autostart { get; init; } = ProgramKeys.Autostart.DefaultValue;
    /// <summary>What each start waits for (<c>depends_on</c>); empty for most programs.</summary>
    public ImmutableArray<Dependency> DependsOn { get; init; } = [];
    public bool DependentStartup { get; init; } = ProgramKeys.DependentStartup.DefaultValue;
    public AutoRestartPolicy AutoRestart { get; init; } = ProgramKeys.AutoRestart.DefaultValue;
    public ImmutableArray<int> ExitCodes { get; init; } = ProgramKeys.ExitCodes.DefaultValue;
    /// <summary>Seconds the process must stay up to count as started (<c>startsecs</c>/<c>starttime</c>).</summary>
    public int StartSecs { get; init; } = ProgramKeys.StartSecs.DefaultValue;
    public int StartRetries { get; init; } = ProgramKeys.StartRetries.DefaultValue;
    /// <summary>Signal number sent to stop (<c>stopsignal</c>).</summary>
    public int StopSignal { get; init; } = ProgramKeys.StopSignal.DefaultValue;
    /// <summary>Seconds to wait after the stop signal before SIGKILL (<c>stopwaitsecs</c>/<c>stoptime</c>).</summary>
    public int StopWaitSecs { get; init; } = ProgramKeys.StopWaitSecs.DefaultValue;
    public bool StopAsGroup { get; init; } = ProgramKeys.StopAsGroup.DefaultValue;
    public bool KillAsGroup { get; init; } = ProgramKeys.KillAsGroup.DefaultValue;
    public bool RedirectStderr { get; init; } = ProgramKeys.RedirectStderr.DefaultValue;
    /// <summary>Pause before an automatic respawn after an exit from RUNNING (<c>restart_delay</c>).</summary>
    public TimeSpan RestartDelay { get; init; } = ProgramKeys.RestartDelay.DefaultValue;
    /// <summary>First pause of the doubling form, zero when off (<c>exp_backoff_restart_delay</c>).</summary>
    public TimeSpan ExpBackoffRestartDelay { get; init; } = ProgramKeys.ExpBackoffRestartDelay.DefaultValue;
    /// <summary>Automatic respawns that lived less than <see cref="MinUptime"/> before FATAL; null when unlimited (<c>max_restarts</c>).</summary>
    public int? MaxRestarts { get; init; } = ProgramKeys.MaxRestarts.DefaultValue;
    /// <summary>How long a run must last to count as stable (<c>min_uptime</c>).</summary>
    public TimeSpan MinUptime { get; init; } = ProgramKeys.MinUptime.DefaultValue;
    /// <summary>Send PROCESS_LOG_STDOUT events for this process's stdout (<c>stdout_events_enabled</c>).</summary>
    public bool StdoutEventsEnabled { get; init; } = ProgramKeys.StdoutEventsEnabled.DefaultValue;
    /// <summary>Bytes kept of a <c>&lt;!--XSUPERVISOR:BEGIN--&gt;</c> block on stdout; 0: no capture mode.</summary>
    public long StdoutCaptureMaxBytes { get; init; } = ProgramKeys.StdoutCaptureMaxBytes.DefaultValue;
    public bool StderrEventsEnabled { get; init; } = ProgramKeys.StderrEventsEnabled.DefaultValue;
    public long StderrCaptureMaxBytes { get; init; } = ProgramKeys.StderrCaptureMaxBytes.DefaultValue;
    /// <summary>The child's <c>SUPERVISOR_SERVER_URL</c>; null: the daemon's own (<c>serverurl=AUTO</c>).</summary>
    public string? ServerUrl { get; init; } = ProgramKeys.ServerUrl.DefaultValue;
    /// <summary>The event types a listener pool subscribes to (<c>events</c>); none for a program.</summary>
    public EventType Events { get; init; }
    /// <summary>Events a listener pool queues before it drops the oldest (<c>buffer_size</c>).</summary>
    public int BufferSize { get; init; } = ProgramKeys.BufferSize.DefaultValue;
    /// <summary>How a listener's result is judged (<c>result_handler</c>); only supervisor's default exists here.</summary>
    public string ResultHandler { get; init; } = ProgramKeys.DefaultResultHandler;
    public ExitOnPolicy ExitOn { get; init; } = ProgramKeys.ExitOn.DefaultValue;
    /// <summary>The readiness check (<c>readiness_check_*</c>): none unless its script is set.</summary>
    public ProbeConfig Readiness { get; init; } = ProbeKeys.ReadinessDefaults;
    /// <summary>The liveness check (<c>liveness_check_*</c>): none unless its script is set.</summary>
    public ProbeConfig Liveness { get; init; } = ProbeKeys.LivenessDefaults;
    public ProbeFailureAction LivenessFailureAction { get; init; } = ProbeFailureAction.Restart;
    // Issue 20 (env files, log stamps, resource limits): one block, so other additions merge beside it.
    /// <summary>What <c>env_file</c> read: its files and the variables that <c>environment</c> does not override.</summary>
    public EnvFileSet EnvFiles { get; init; } = EnvFileSet.None;
    /// <summary>Stamp for both streams' lines (<c>log_timestamps</c>); null: none.</summary>
    public LogStampFormat? LogTimestamps { get; init; }
    /// <summary>PM2's <c>log_date_format</c>: both streams' stamp, winning over <see cref="LogTimestamps"/>; null: none.</summary>
    public LogStampFormat? LogDateFormat { get; init; }
    /// <summary>stdout's own stamp (<c>stdout_log_timestamps</c>); null: as <see cref="LogTimestamps"/>.</summary>
    public LogStampFormat? StdoutLogTimestamps { get; init; }
    /// <summary>stderr's own stamp (<c>stderr_log_timestamps</c>); null: as <see cref="LogTimestamps"/>.</summary>
    public LogStampFormat? StderrLogTimestamps { get; init; }
    public ResourceLimit? RlimitNofile { get; init; }
    public ResourceLimit? RlimitNproc { get; init; }
    public ResourceLimit? RlimitCore { get; init; }
    public ResourceLimit? RlimitMemlock { get; init; }
    public ResourceLimit? RlimitAs { get; init; }
    public ResourceLimit? RlimitFsize { get; init; }
    public ResourceLimit? RlimitStack { get; init; }
    public ResourceLimit? RlimitCpu { get; init; }
    public ResourceLimit? RlimitData { get; init; }

    /// <summary>The stamp stdout's lines get, or null for none.</summary>
    public LogStampFormat? StdoutStamp => Effective(StdoutLogTimestamps ?? LogDateFormat ?? LogTimestamps);
    /// <summary>The stamp stderr's lines get, or null for none.</summary>
    public LogStampFormat? StderrStamp => Effective(StderrLogTimestamps ?? LogDateFormat ?? LogTimestamps);

    /// <summary>Every <c>rlimit_*</c> set, in table order.</summary>
    public IReadOnlyList<ResourceLimit> ResourceLimits =>
        [.. new[] { RlimitNofile, RlimitNproc, RlimitCore, RlimitMemlock, RlimitAs, RlimitFsize, RlimitStack, RlimitCpu, RlimitData }.OfType<ResourceLimit>()];

    private static LogStampFormat? Effective(LogStampFormat? f) => f is { IsOff: false } ? f : null;
    // ---- Hooks (issue #20): see HookKeys. ----
    /// <summary>Run before each spawn; a failure is a failed start (<c>pre_start_hook</c>).</summary>
    public CommandLine? PreStartHook { get; init; }
    /// <summary>Run before the stop signal of a live child (<c>pre_stop_hook</c>).</summary>
    public CommandLine? PreStopHook { get; init; }
    /// <summary>Run after each child's end (<c>post_stop_hook</c>).</summary>
    public CommandLine? PostStopHook { get; init; }
    /// <summary>How long a hook may run before it is killed and counts as failed (<c>hook_timeout</c>).</summary>
    public TimeSpan HookTimeout { get; init; } = HookKeys.HookTimeout.DefaultValue;

    // ---- Schedules (issue #20): see ScheduleKeys. ----
    /// <summary>Restart on this pattern (<c>cron_restart</c>).</summary>
    public CronSchedule? CronRestart { get; init; }
    /// <summary>Start on this pattern if not running (<c>cron</c>).</summary>
    public CronSchedule? Cron { get; init; }
    /// <summary>The IANA zone the patterns are read in; null: the daemon's local time (<c>schedule_timezone</c>).</summary>
    public string? ScheduleTimezone { get; init; }

    // ---- Restart triggers (issue #20): see RestartTriggerKeys. ----
    /// <summary>Restart when the main process's RSS is above this many bytes (<c>max_memory_restart</c>); null: off.</summary>
    public long? MaxMemoryRestart { get; init; }
    /// <summary>Restart (or signal) when the executable changes (<c>restart_when_binary_changed</c>).</summary>
    public bool RestartWhenBinaryChanged { get; init; }
    /// <summary>The signal sent instead of a restart when the executable changes; null: restart.</summary>
    public int? RestartSignalWhenBinaryChanged { get; init; }
    /// <summary>Directories whose files trigger a restart (<c>restart_directory_monitor</c> / <c>watch</c>), absolute.</summary>
    public ImmutableArray<string> RestartDirectoryMonitor { get; init; } = [];
    /// <summary>File-name globs that count under those directories (<c>restart_file_pattern</c>).</summary>
    public ImmutableArray<string> RestartFilePattern { get; init; } = ["*"];
    /// <summary>File or directory names that never count (<c>ignore_watch</c>).</summary>
    public ImmutableArray<string> IgnoreWatch { get; init; } = [];
    /// <summary>Debounce of file-change triggers (<c>watch_delay</c>).</summary>
    public TimeSpan WatchDelay { get; init; } = RestartTriggerKeys.WatchDelay.DefaultValue;
    /// <summary>The signal sent instead of a restart when a watched file changes; null: restart.</summary>
    public int? RestartSignalWhenFileChanged { get; init; }

    public required LogTarget Stdout { get; init; }
    public required LogTarget Stderr { get; init; }

    /// <summary>Where each key's value came from (key → location); keys absent here took their default.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Origins { get; init; } =
        ImmutableDictionary<string, SourceLocation>.Empty;

    /// <summary>
    /// Equal when the two sit in the same place and no <see cref="ProgramKeys.Settings"/> entry differs (lists by
    /// content, logs by path), which is exactly when a reload leaves the instance alone. <see cref="Origins"/> is left
    /// out on purpose: moving a section in the file, or adding a comment above it, must not restart its processes.
    /// </summary>
    public bool Equals(ProcessConfig? other)
    {
        if (ReferenceEquals(this, other)) return true;
        if (other is null || GroupName != other.GroupName || ProgramName != other.ProgramName || ProcessNum != other.ProcessNum
            || IsListener != other.IsListener)
            return false;
        foreach (var key in ProgramKeys.Settings)
            if (key.Differs(this, other)) return false;
        return true;
    }

    public override int GetHashCode() => HashCode.Combine(Name, GroupName, ProcessNum, Command, Priority);

    /// <summary><c>group:name</c>, the form supervisorctl prints and accepts.</summary>
    public string FullName => Namespec.Format(GroupName, Name);
}
