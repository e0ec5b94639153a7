namespace Taskmaster.Supervision;

/// <summary>The named side effects a transition runs; each is one small method of <see cref="ProcessActions"/>.</summary>
internal enum ProcessAction
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
    /// <summary>Exit after a stop request: record it and log <c>stopped:</c>.</summary>
    RecordStop,
    /// <summary>Exit while UNKNOWN: record it; no autorestart (an operator must look).</summary>
    RecordExitWithoutRestart,
    /// <summary>Log <c>gave up:</c>.</summary>
    GiveUp,
    /// <summary>Send the stopsignal and set the StopDeadline.</summary>
    SendStopSignal,
    /// <summary>Log <c>killing ... with SIGKILL</c> and send SIGKILL.</summary>
    Kill,
    /// <summary>Stop while in BACKOFF: drop the pending retry.</summary>
    CancelRetry,
    /// <summary>Operator signal to the child.</summary>
    SendSignal,
    /// <summary>A signal failed: drop every deadline; only a reap leaves UNKNOWN.</summary>
    ClearDeadlines,
}
