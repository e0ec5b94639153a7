using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision.Eventing;
using Taskmaster.Supervision.Listeners;

namespace Taskmaster.Supervision;

/// <summary>
/// One supervised instance as the loop sees it: its configuration, state, child and deadlines.
/// Only the supervision loop thread reads or writes it, so it needs no locks. <see cref="Config"/> is
/// settable so a reload can replace it in place once the process is stopped.
/// </summary>
internal sealed class ManagedProcess(ProcessConfig config, DeadlineQueue? deadlines = null)
{
    public ProcessConfig Config { get; set; } = config;
    public string Name => Config.Name;
    public string Group => Config.GroupName;
    public string FullName => Config.FullName;

    public ProcessState State { get; set; } = ProcessState.Stopped;
    public int? Pid { get; set; }
    /// <summary>The daemon's (non-blocking) end of the child's stdin pipe, from spawn until the child is reaped or
    /// closes its stdin; null otherwise.</summary>
    public SafeFileHandle? Stdin { get; set; }
    /// <summary>The pid of the last child spawned (kept after the reap: late output and STOPPED events name it).</summary>
    public int LastPid { get; set; }

    /// <summary>The listener protocol state of an <c>[eventlistener:x]</c> instance; null for a program.</summary>
    public ListenerChannel? Listener => Config.IsListener ? field ??= new ListenerChannel() : null;

    /// <summary>Capture mode on stdout / stderr for the current child (<c>*_capture_maxbytes</c>), else null.</summary>
    public CommunicationCapture? StdoutCapture { get; set; }
    public CommunicationCapture? StderrCapture { get; set; }

    /// <summary>BACKOFF entries since the last RUNNING (supervisord's <c>backoff</c>).</summary>
    public int Retries { get; set; }

    /// <summary>How fast automatic respawns after exits from RUNNING may come (restart_delay, max_restarts…).</summary>
    public RestartPacing Pacing { get; } = new();
    public string? SpawnError { get; set; }
    /// <summary>True when the last start attempt failed in the spawner itself (no child was created).</summary>
    public bool LastSpawnFailed { get; set; }
    /// <summary>The dependency a start waits for, as <c>status</c> words it (<c>db (healthy)</c>); null when no start
    /// waits (see <see cref="DependencyGate"/>).</summary>
    public string? WaitingFor { get; set; }

    /// <summary>A start is held until the dependencies are met.</summary>
    public bool AwaitingDependencies => WaitingFor is not null;

    /// <summary>Why the last start was refused: a dependency failed for good (<c>db entered FATAL state</c>); cleared
    /// by the next start that passes the gate.</summary>
    public string? DependencyFailure { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public ExitStatus? LastExit { get; set; }
    public bool ExitExpected { get; set; }

    /// <summary>
    /// The process group of the last child while its leader is reaped but processes we wait for are still in it
    /// (a wrapper's worker finishing its shutdown, leftovers being stopped after an exit); null otherwise. No new
    /// child is spawned while it is set, and a stop is not over until it is cleared (GroupReleased).
    /// </summary>
    public int? LingeringGroup { get; set; }

    /// <summary>SIGKILL was sent during the current run (to the child or to its group's leftovers).</summary>
    public bool Killed { get; set; }

    /// <summary>The interval of the next check of <see cref="LingeringGroup"/> where the kernel gives no event (see
    /// <see cref="GroupPoll"/>); doubles after each check.</summary>
    public TimeSpan GroupPollInterval { get; set; }

    /// <summary>When the lingering group, SIGKILLed and still not empty, is given up on.</summary>
    public DateTimeOffset? GroupGiveUpAt { get; set; }

    // Deadlines are data: the loop sleeps until the earliest one of all processes. Each change re-queues the
    // process in the directory's DeadlineQueue, so the loop never scans every process to find the next one.
    /// <summary>When STARTING becomes RUNNING (spawn + startsecs).</summary>
    public DateTimeOffset? StartDeadline
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>When STOPPING escalates to SIGKILL (stop signal + stopwaitsecs).</summary>
    public DateTimeOffset? StopDeadline
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>When BACKOFF tries again (entry + retry count seconds).</summary>
    public DateTimeOffset? RetryAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>When to look again whether <see cref="LingeringGroup"/> is empty (only where no event would say so).</summary>
    public DateTimeOffset? GroupCheckAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>When the next readiness or liveness check is due, or the one in flight times out.</summary>
    public DateTimeOffset? ProbeAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>When the running hook's <c>hook_timeout</c> passes (or, once it was killed, when it is given up on).</summary>
    public DateTimeOffset? HookAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>The next occurrence of the process's <c>cron_restart</c> or <c>cron</c> pattern; null without one.</summary>
    public DateTimeOffset? ScheduleAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>The pattern and zone <see cref="ScheduleAt"/> was computed for (a reload that changes them re-arms it).</summary>
    public (CronSchedule? Schedule, string? Zone)? ScheduledFor { get; set; }

    /// <summary>When a watched file's change (debounced by <c>watch_delay</c>) restarts or signals the process.</summary>
    public DateTimeOffset? WatchAt
    {
        get;
        set { field = value; Rescheduled(); }
    }

    /// <summary>What changed for <see cref="WatchAt"/>, and the signal to send instead of a restart.</summary>
    public Triggers.WatchReason? WatchReason { get; set; }

    /// <summary>The hook running now (<c>pre_start_hook</c>, <c>pre_stop_hook</c>, <c>post_stop_hook</c>), or null.</summary>
    public Hooks.HookRun? Hook { get; set; }

    /// <summary>A post-stop hook waits for the running hook to end.</summary>
    public bool PostStopQueued { get; set; }

    /// <summary>The pre-start hook of the current start attempt exited 0: the spawn may go ahead.</summary>
    public bool PreStartPassed { get; set; }

    /// <summary>The pre-stop hook has run for the current child (its stop signal no longer waits for it).</summary>
    public bool PreStopRan { get; set; }

    /// <summary>The readiness check of the current child, from its spawn; null without one.</summary>
    public ProbeRun? ReadinessRun { get; set; }

    /// <summary>The liveness check of the current child, from RUNNING; null without one.</summary>
    public ProbeRun? LivenessRun { get; set; }

    /// <summary>The last <c>STATUS=</c> the child sent on its notify socket.</summary>
    public string? NotifyStatus { get; set; }

    /// <summary>Why the current start is failing: the readiness check did not pass in time (the spawn error then).</summary>
    public string? UnreadyReason { get; set; }

    /// <summary>RUNNING, and every check it has passes (what <c>depends_on = x:healthy</c> waits for).</summary>
    public bool Healthy => State == ProcessState.Running
        && ReadinessRun is not { Passing: false } && LivenessRun is not { Passing: false };

    /// <summary>The queue this process's deadlines are kept in; null once it left the directory (or in unit tests).</summary>
    public DeadlineQueue? Deadlines { get; set; } = deadlines;

    /// <summary>Bumped by every deadline change: a queue entry carrying an older stamp is stale.</summary>
    public long DeadlineStamp { get; set; }

    /// <summary>True while a current (not stale) entry for this process is in <see cref="Deadlines"/>.</summary>
    public bool DeadlineQueued { get; set; }

    /// <summary>The earliest pending deadline and the event it raises, if any.</summary>
    public (DateTimeOffset At, ProcessEventKind Kind)? NextDeadline
    {
        get
        {
            (DateTimeOffset, ProcessEventKind)? best = null;
            // With a readiness check, startsecs is the time allowed to become ready, not the time to stay up.
            Consider(StartDeadline, Config.Readiness.IsSet ? ProcessEventKind.NotReadyInTime : ProcessEventKind.StartSecsElapsed);
            Consider(ProbeAt, ProcessEventKind.ProbeDue);
            Consider(StopDeadline, ProcessEventKind.StopTimeout);
            Consider(RetryAt, ProcessEventKind.RetryDue);
            Consider(GroupCheckAt, ProcessEventKind.GroupCheck);
            Consider(HookAt, ProcessEventKind.HookTimeout);
            Consider(ScheduleAt, ProcessEventKind.ScheduleDue);
            Consider(WatchAt, ProcessEventKind.WatchDue);
            return best;

            void Consider(DateTimeOffset? at, ProcessEventKind e)
            {
                if (at is { } t && (best is null || t < best.Value.Item1)) best = (t, e);
            }
        }
    }

    /// <summary>Drops the deadlines of the child's own life (start, stop, retry); those of a lingering group stay.</summary>
    public void ClearDeadlines()
    {
        if (StartDeadline is null && StopDeadline is null && RetryAt is null) return;
        (StartDeadline, StopDeadline, RetryAt) = (null, null, null);
    }

    private void Rescheduled() => Deadlines?.Reschedule(this);

    /// <summary>A child exists (or may exist) for this process, or processes of its last child's group that we wait for.</summary>
    public bool HasChild => Pid is not null || LingeringGroup is not null;

    /// <summary>Spawns, failures, states entered and bytes captured since the daemon began supervising it.</summary>
    public ProcessCounters Counters { get; } = new();

    public ProcessSnapshot Snapshot(TimeProvider time) => new(
        Name, Group, State, Pid, StartedAt, StoppedAt, LastExit, ExitExpected, SpawnError,
        ProcessDescription.Describe(this, time), Config.Stdout.Path, Config.Stderr.Path, LingeringGroup)
    {
        Counts = Counters.Snapshot(),
        DependsOn = Config.DependsOn.IsEmpty ? [] : [.. Config.DependsOn.Select(d => d.ToString())],
        WaitingFor = WaitingFor,
        DependencyFailure = DependencyFailure,
        Ready = ReadinessRun?.Passing,
        Live = LivenessRun?.Passing,
        NextRun = ScheduleAt,
        HealthFailure = HealthFailure,
    };

    /// <summary>Its checks and dependency standing now, for watchers; null when it has no check and no dependency.</summary>
    public ProcessHealth? Health =>
        ReadinessRun is null && LivenessRun is null && Config.DependsOn.IsEmpty && WaitingFor is null && DependencyFailure is null
            ? null
            : new ProcessHealth(ReadinessRun?.Passing, LivenessRun?.Passing, HealthFailure, WaitingFor, DependencyFailure);

    /// <summary>The last failure of a failing check: liveness first, as it is the one that acts.</summary>
    private string? HealthFailure =>
        LivenessRun is { Failures: > 0 } l ? l.LastFailure : ReadinessRun is { Failures: > 0 } r ? r.LastFailure : null;
}
