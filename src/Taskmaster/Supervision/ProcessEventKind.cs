namespace Taskmaster.Supervision;

/// <summary>Everything that can happen to one supervised process; the columns of <see cref="TransitionTable"/>.</summary>
internal enum ProcessEventKind
{
    /// <summary>An operator start, an autostart, or an autorestart.</summary>
    Start,
    /// <summary>An operator stop (or shutdown).</summary>
    Stop,
    /// <summary>An operator signal (supervisorctl's <c>signal</c>); carries the signal number.</summary>
    Signal,
    /// <summary>The spawner returned a pid.</summary>
    Spawned,
    /// <summary>The spawner could not create the child; <c>spawnerr</c> is recorded.</summary>
    SpawnFailed,
    /// <summary>The child stayed up for <c>startsecs</c> (the StartDeadline passed).</summary>
    StartSecsElapsed,
    /// <summary>The child was reaped; carries its exit status.</summary>
    Exited,
    /// <summary><c>stopwaitsecs</c> passed after the stop signal (the StopDeadline): to the child, or to what an exit
    /// left in its process group.</summary>
    StopTimeout,
    /// <summary>The backoff delay passed (RetryAt).</summary>
    RetryDue,
    /// <summary>Entering BACKOFF pushed the retry count above <c>startretries</c>.</summary>
    GiveUp,
    /// <summary>kill(2) failed with something other than ESRCH.</summary>
    SignalFailed,
    /// <summary>The lingering process group (its leader is reaped, processes were left) may have emptied: one of its
    /// processes was reaped as an adopted orphan, or its next check is due (GroupCheckAt).</summary>
    GroupCheck,
    /// <summary>The reaped leader's process group holds nothing we still wait for: it is empty, or what is left is
    /// not ours to wait for (killasgroup=false, or survivors of SIGKILL given up on). Raised only by the actions that
    /// decide it, after they forgot the group.</summary>
    GroupReleased,
    /// <summary>The readiness check passed (success_threshold in a row) while STARTING.</summary>
    Ready,
    /// <summary>startsecs passed for a process with a readiness check that has not passed: the start failed.</summary>
    NotReadyInTime,
    /// <summary>A readiness or liveness check is due, or the one in flight timed out (handled by the probe scheduler,
    /// never by the table: it does not change the state).</summary>
    ProbeDue,
    /// <summary>A hook of the process ended (see <c>HookRunner</c>): a spawn waiting for it goes ahead (STARTING), a
    /// stop holding its signal for the pre-stop hook sends it (STOPPING).</summary>
    HookDone,
    /// <summary>The running hook's <c>hook_timeout</c> passed (HookAt; handled by the hook runner, never by the table).</summary>
    HookTimeout,
    /// <summary>The next occurrence of <c>cron_restart</c> or <c>cron</c> came (ScheduleAt; handled by the schedule
    /// runner, which starts or restarts through the ordinary commands, never by the table).</summary>
    ScheduleDue,
    /// <summary>A watched file or the executable changed and <c>watch_delay</c> passed since the last change (WatchAt;
    /// handled by the file watch, which restarts or signals through the ordinary commands, never by the table).</summary>
    WatchDue,
}
