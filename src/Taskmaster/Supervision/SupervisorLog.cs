using Microsoft.Extensions.Logging;

namespace Taskmaster.Supervision;

/// <summary>
/// The activity log lines of the engine, in supervisord's words (process.py) so existing greps and
/// habits keep working. Event ids are stable: tools may filter on them.
/// </summary>
internal static partial class SupervisorLog
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "spawned: '{Name}' with pid {Pid}")]
    public static partial void Spawned(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "spawnerr: {Reason}")]
    public static partial void SpawnError(ILogger logger, string reason);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information,
        Message = "success: {Name} entered RUNNING state, process has stayed up for > than {StartSecs} seconds (startsecs)")]
    public static partial void Success(ILogger logger, string name, int startSecs);

    [LoggerMessage(EventId = 103, Level = LogLevel.Information, Message = "exited: {Name} ({Status}; expected)")]
    public static partial void ExitedExpected(ILogger logger, string name, string status);

    [LoggerMessage(EventId = 104, Level = LogLevel.Warning, Message = "exited: {Name} ({Status}; not expected)")]
    public static partial void ExitedUnexpected(ILogger logger, string name, string status);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information,
        Message = "gave up: {Name} entered FATAL state, too many start retries too quickly")]
    public static partial void GaveUp(ILogger logger, string name);

    [LoggerMessage(EventId = 106, Level = LogLevel.Information, Message = "stopped: {Name} ({Status})")]
    public static partial void Stopped(ILogger logger, string name, string status);

    /// <summary>Same line as <see cref="Stopped"/>; supervisord raises the level when the exit code was not expected.</summary>
    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "stopped: {Name} ({Status})")]
    public static partial void StoppedUnexpected(ILogger logger, string name, string status);

    [LoggerMessage(EventId = 108, Level = LogLevel.Warning, Message = "killing '{Name}' ({Pid}) with SIGKILL")]
    public static partial void Killing(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 109, Level = LogLevel.Information, Message = "waiting for {Name} to stop")]
    public static partial void WaitingForStop(ILogger logger, string name);

    [LoggerMessage(EventId = 110, Level = LogLevel.Debug, Message = "killing {Name} (pid {Pid}) {AsGroup}with signal {Signal}")]
    public static partial void SendingStopSignal(ILogger logger, string name, int pid, string asGroup, string signal);

    [LoggerMessage(EventId = 111, Level = LogLevel.Debug, Message = "sending {Name} (pid {Pid}) sig {Signal}")]
    public static partial void SendingSignal(ILogger logger, string name, int pid, string signal);

    [LoggerMessage(EventId = 112, Level = LogLevel.Critical, Message = "unknown problem killing {Name} ({Pid}): errno {Errno}")]
    public static partial void SignalFailed(ILogger logger, string name, int pid, int errno);

    [LoggerMessage(EventId = 113, Level = LogLevel.Debug,
        Message = "unable to signal {Name} (pid {Pid}), it probably just exited on its own")]
    public static partial void SignalRaced(ILogger logger, string name, int pid);

    [LoggerMessage(EventId = 119, Level = LogLevel.Warning,
        Message = "killing what {Name} left in its process group {Pgid} (pids {Pids}) with SIGKILL")]
    public static partial void KillingLeftovers(ILogger logger, string name, int pgid, string pids);

    [LoggerMessage(EventId = 122, Level = LogLevel.Warning,
        Message = "stopping what {Name} left in its process group {Pgid} (pids {Pids}) with {Signal}, SIGKILL after {StopWaitSecs} seconds (stopwaitsecs)")]
    public static partial void StoppingLeftovers(ILogger logger, string name, int pgid, string pids, string signal, int stopWaitSecs);

    [LoggerMessage(EventId = 123, Level = LogLevel.Warning,
        Message = "leaving what {Name} left in its process group {Pgid} (pids {Pids}) running: killasgroup is false")]
    public static partial void LeftAlone(ILogger logger, string name, int pgid, string pids);

    [LoggerMessage(EventId = 124, Level = LogLevel.Error,
        Message = "gave up waiting for {Name}'s process group {Pgid} (pids {Pids}): still there {Seconds} seconds after SIGKILL")]
    public static partial void GroupSurvivedKill(ILogger logger, string name, int pgid, string pids, int seconds);

    [LoggerMessage(EventId = 125, Level = LogLevel.Information,
        Message = "not spawning {Name} yet: what its last process left in process group {Pgid} is still being stopped")]
    public static partial void SpawnWaitsForGroup(ILogger logger, string name, int pgid);

    /// <summary>supervisord's words when a start meets a process that is still stopping.</summary>
    [LoggerMessage(EventId = 126, Level = LogLevel.Warning, Message = "process '{Name}' already running")]
    public static partial void AlreadyRunning(ILogger logger, string name);

    [LoggerMessage(EventId = 127, Level = LogLevel.Debug,
        Message = "{Name} exited; waiting for the rest of its process group {Pgid}")]
    public static partial void WaitingForGroup(ILogger logger, string name, int pgid);

    [LoggerMessage(EventId = 114, Level = LogLevel.Debug, Message = "Attempted to kill {Name}, which is in BACKOFF state.")]
    public static partial void StopInBackoff(ILogger logger, string name);

    [LoggerMessage(EventId = 115, Level = LogLevel.Debug, Message = "reaped unknown pid {Pid} ({Status})")]
    public static partial void UnknownPidReaped(ILogger logger, int pid, string status);

    [LoggerMessage(EventId = 116, Level = LogLevel.Critical, Message = "supervision loop: unexpected error handling {Message}")]
    public static partial void LoopError(ILogger logger, Exception exception, string message);

    [LoggerMessage(EventId = 117, Level = LogLevel.Error, Message = "could not capture output of '{Name}'")]
    public static partial void AttachFailed(ILogger logger, Exception exception, string name);

    [LoggerMessage(EventId = 118, Level = LogLevel.Debug, Message = "{Name}: {From} -> {To}")]
    public static partial void StateChanged(ILogger logger, string name, string from, string to);

    [LoggerMessage(EventId = 120, Level = LogLevel.Debug, Message = "stdin of {Name} is closed (errno {Errno}): input is refused from now on")]
    public static partial void StdinClosed(ILogger logger, string name, int errno);

    [LoggerMessage(EventId = 128, Level = LogLevel.Warning,
        Message = "{Name} is restarting more than 10 times a second; restart_delay, exp_backoff_restart_delay or max_restarts can pace it")]
    public static partial void RestartingTooFast(ILogger logger, string name);

    [LoggerMessage(EventId = 121, Level = LogLevel.Error, Message = "'{Name}' was spawned ahead (pid {Pid}) but its start never came: killed")]
    public static partial void SpawnAbandoned(ILogger logger, string name, int pid);
}
