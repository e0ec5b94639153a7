using System.Collections.Frozen;
using static Taskmaster.Supervision.TransitionAction;
using static Taskmaster.Supervision.Transition;
using E = Taskmaster.Supervision.ProcessEventKind;
using S = Taskmaster.Supervision.ProcessState;

namespace Taskmaster.Supervision;

/// <summary>
/// The whole process state machine, supervisord's rules in one table: for every state, what every
/// event does. This table is the documentation; <c>TransitionTableTests</c> walks every cell.
/// </summary>
/// <remarks>
/// Decisions where supervisord is silent or odd:
/// <list type="bullet">
/// <item>Start in BACKOFF is refused (supervisord counts BACKOFF as running); stop it first.</item>
/// <item>Start in STOPPING is refused as supervisord refuses it: its spawn logs "process 'x' already running" and the
/// start reports abnormal termination (supervisorctl 4.2.5: <c>x: ERROR (abnormal termination)</c>, exit 7); the stop
/// goes on to STOPPED, which is what the last command that succeeded asked.</item>
/// <item>Stop in STOPPING is accepted and ignored, so a second <c>stop --wait</c> just waits.</item>
/// <item>Stop in UNKNOWN sends the stop signal again: the only way out besides the child's own exit.</item>
/// <item>An exit in UNKNOWN lands in EXITED without autorestart: something went wrong, a human decides.</item>
/// <item>Events that need a child (exit, deadlines, spawn outcomes) are ignored in states without one;
/// the loop clears deadlines on the way out of a state, so these are stale leftovers at worst.</item>
/// <item>A reaped child's process group may outlive it in any state but RUNNING (see TransitionActions): STOPPING
/// ends only with GroupReleased; a spawn (STARTING) waits for it; in the other states StopTimeout escalates the
/// leftovers to SIGKILL and GroupCheck notices their end, and the state does not change.</item>
/// <item>Hooks (HookRunner): a spawn waits in STARTING for the hook running and for the pre-start hook, whose
/// failure is a SpawnFailed; a stop waits in STOPPING for the pre-stop hook before its signal. HookDone resumes them.</item>
/// </list>
/// </remarks>
internal static class TransitionTable
{
    private static readonly FrozenDictionary<(S, E), Transition> Cells = Build();

    public static IEnumerable<S> States => Enum.GetValues<S>();
    public static IEnumerable<E> Events => Enum.GetValues<E>();

    public static Transition Lookup(S state, E e) => Cells[(state, e)];

    /// <summary>
    /// Whether the cell's action calls the spawner (it may still decline: a child exists, a group lingers, a
    /// shutdown began). The loop asks this before it dispatches a batch of starts, to begin their spawns ahead;
    /// <c>TransitionTableTests</c> runs every cell's action to hold it to what the actions do.
    /// </summary>
    public static bool WouldSpawn(S state, E e) =>
        Lookup(state, e) is { Kind: TransitionKind.Move, Action: ResetRetriesAndSpawn or Spawn };

    private static FrozenDictionary<(S, E), Transition> Build()
    {
        var rows = new Dictionary<S, Dictionary<E, Transition>>
        {
            [S.Stopped] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
                // Stopped from BACKOFF while the last child's leftovers were being stopped: they go on.
                [E.StopTimeout] = Go(S.Stopped, KillLeftovers),
                [E.GroupCheck] = Go(S.Stopped, CheckGroup),
            },
            [S.Starting] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Starting, SendSignal),
                [E.Spawned] = Go(S.Starting, ArmStartDeadline),
                [E.SpawnFailed] = Go(S.Backoff, EnterBackoff),
                [E.StartSecsElapsed] = Go(S.Running, ConfirmRunning),
                [E.Ready] = Go(S.Running, ConfirmReady),
                [E.NotReadyInTime] = Go(S.Starting, KillUnready),
                [E.Exited] = Go(S.Backoff, RecordEarlyExitAndBackoff),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
                // The spawn waits for the last child's leftovers: they are stopped, then it happens.
                [E.StopTimeout] = Go(S.Starting, KillLeftovers),
                [E.GroupCheck] = Go(S.Starting, CheckGroup),
                [E.GroupReleased] = Go(S.Starting, Spawn),
                // A spawn waits for the hooks: the pre-start hook passed, or another hook's end gives it its turn.
                [E.HookDone] = Go(S.Starting, Spawn),
            },
            [S.Running] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Running, SendSignal),
                [E.Exited] = Go(S.Exited, RecordExitAndMaybeRestart),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
                // No group lingers in RUNNING: a child is only spawned once the last one's group is released.
            },
            [S.Backoff] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopped, CancelRetry),
                [E.Signal] = Reject(ErrorCode.NotRunning),
                [E.RetryDue] = Go(S.Starting, Spawn),
                [E.GiveUp] = Go(S.Fatal, GiveUp),
                [E.StopTimeout] = Go(S.Backoff, KillLeftovers),
                [E.GroupCheck] = Go(S.Backoff, CheckGroup),
            },
            [S.Stopping] = new()
            {
                [E.Start] = Go(S.Stopping, RefuseStart),
                [E.Stop] = Ignore,
                [E.Signal] = Go(S.Stopping, SendSignal),
                [E.Exited] = Go(S.Stopping, ReapLeader),
                [E.StopTimeout] = Go(S.Stopping, Kill),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
                [E.GroupCheck] = Go(S.Stopping, CheckGroup),
                [E.GroupReleased] = Go(S.Stopped, RecordStop),
                [E.HookDone] = Go(S.Stopping, StopAfterHook),
            },
            [S.Exited] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                // A paced automatic respawn (restart_delay…) waits in EXITED for its deadline, or gives up.
                [E.RetryDue] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.GiveUp] = Go(S.Fatal, GiveUp),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
                [E.StopTimeout] = Go(S.Exited, KillLeftovers),
                [E.GroupCheck] = Go(S.Exited, CheckGroup),
            },
            [S.Fatal] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
                [E.StopTimeout] = Go(S.Fatal, KillLeftovers),
                [E.GroupCheck] = Go(S.Fatal, CheckGroup),
            },
            [S.Unknown] = new()
            {
                [E.Start] = Reject(ErrorCode.Failed),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Unknown, SendSignal),
                [E.Exited] = Go(S.Exited, RecordExitWithoutRestart),
                // UNKNOWN has a live child (a signal to it failed): no group lingers.
            },
        };

        // Every cell not written above is an explicit Ignore: an event that needs a child or a
        // deadline this state does not have (GroupReleased included: the action that raised it already
        // forgot the group, and only STARTING and STOPPING were waiting). Filling them here keeps the rows readable.
        var cells = new Dictionary<(S, E), Transition>();
        foreach (var state in States)
            foreach (var e in Events)
                cells[(state, e)] = rows[state].TryGetValue(e, out var t) ? t : Ignore;
        return cells.ToFrozenDictionary();
    }
}
