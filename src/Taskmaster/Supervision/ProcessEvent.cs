namespace Taskmaster.Supervision;

/// <summary>Everything that can happen to one supervised process; the columns of <see cref="TransitionTable"/>.</summary>
internal enum ProcessEvent
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
    /// <summary><c>stopwaitsecs</c> passed after the stop signal (the StopDeadline).</summary>
    StopTimeout,
    /// <summary>The backoff delay passed (RetryAt).</summary>
    RetryDue,
    /// <summary>Entering BACKOFF pushed the retry count above <c>startretries</c>.</summary>
    GiveUp,
    /// <summary>kill(2) failed with something other than ESRCH.</summary>
    SignalFailed,
}
