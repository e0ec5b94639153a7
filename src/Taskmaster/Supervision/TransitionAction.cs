namespace Taskmaster.Supervision;

/// <summary>The named side effects a transition runs; each is one small method of <see cref="TransitionActions"/>.</summary>
internal enum TransitionAction
{
    None,
    /// <summary>Manual/auto start: forget past retries, then <see cref="Spawn"/>.</summary>
    ResetRetriesAndSpawn,
    /// <summary>Call the spawner; feeds back Spawned or SpawnFailed.</summary>
    Spawn,
    /// <summary>Set the StartDeadline (or report StartSecsElapsed at once when startsecs is 0).</summary>
    ArmStartDeadline,
    /// <summary>Log <c>success:</c> and reset the retry count.</summary>
    ConfirmRunning,
    /// <summary>After a spawn error: count a retry, schedule the next one or give up.</summary>
    EnterBackoff,
    /// <summary>Exit while STARTING: record it ("Exited too quickly"), then <see cref="EnterBackoff"/>.</summary>
    RecordEarlyExitAndBackoff,
    /// <summary>Exit while RUNNING: record it, log expected or not, maybe autorestart.</summary>
    RecordExitAndMaybeRestart,
    /// <summary>The leader's exit after a stop request: record it, then wait for what is left of its process group
    /// (GroupReleased at once when nothing is).</summary>
    ReapLeader,
    /// <summary>The stop is over (the group is released): log <c>stopped:</c> with the leader's exit.</summary>
    RecordStop,
    /// <summary>Exit while UNKNOWN: record it; no autorestart (an operator must look).</summary>
    RecordExitWithoutRestart,
    /// <summary>Log <c>gave up:</c>.</summary>
    GiveUp,
    /// <summary>Send the stopsignal and set the StopDeadline.</summary>
    SendStopSignal,
    /// <summary>Log <c>killing ... with SIGKILL</c> and send SIGKILL: to the child (its group when killasgroup), or,
    /// the child being gone, to what is left of its group (left alone, and released, when killasgroup is false).</summary>
    Kill,
    /// <summary>stopwaitsecs passed for the leftovers of an exit (no child any more): SIGKILL their group (or, with
    /// killasgroup=false after a stop, leave them and release it).</summary>
    KillLeftovers,
    /// <summary>Stop while in BACKOFF: drop the pending retry.</summary>
    CancelRetry,
    /// <summary>Operator signal to the child.</summary>
    SendSignal,
    /// <summary>A signal failed: drop every deadline; only a reap leaves UNKNOWN.</summary>
    ClearDeadlines,
    /// <summary>Is the lingering group empty now? GroupReleased if so; otherwise watch for its next change.</summary>
    CheckGroup,
    /// <summary>Start while STOPPING: refused as supervisord's spawn refuses it (<c>process 'x' already running</c>);
    /// the start then reports abnormal termination, the stop goes on.</summary>
    RefuseStart,
    /// <summary>The readiness check passed: log <c>success:</c> (naming the check) and reset the retry count.</summary>
    ConfirmReady,
    /// <summary>startsecs passed without readiness: log it and SIGKILL the child (its group with killasgroup); its
    /// exit then counts as a failed start (BACKOFF) with the reason as spawn error.</summary>
    KillUnready,
    /// <summary>The pre-stop hook ended: send the stop signal it held back (nothing if it was sent, or the child is gone).</summary>
    StopAfterHook,
}
