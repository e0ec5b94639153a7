using System.Collections.Frozen;
using static Taskmaster.Supervision.ProcessAction;
using static Taskmaster.Supervision.Transition;
using E = Taskmaster.Supervision.ProcessEvent;
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
/// <item>Start in STOPPING is refused as AlreadyStarted: a child still exists.</item>
/// <item>Stop in STOPPING is accepted and ignored, so a second <c>stop --wait</c> just waits.</item>
/// <item>Stop in UNKNOWN sends the stop signal again: the only way out besides the child's own exit.</item>
/// <item>An exit in UNKNOWN lands in EXITED without autorestart: something went wrong, a human decides.</item>
/// <item>Events that need a child (exit, deadlines, spawn outcomes) are ignored in states without one;
/// the loop clears deadlines on the way out of a state, so these are stale leftovers at worst.</item>
/// </list>
/// </remarks>
internal static class TransitionTable
{
    private static readonly FrozenDictionary<(S, E), Transition> Cells = Build();

    public static IEnumerable<S> States => Enum.GetValues<S>();
    public static IEnumerable<E> Events => Enum.GetValues<E>();

    public static Transition Lookup(S state, E e) => Cells[(state, e)];

    private static FrozenDictionary<(S, E), Transition> Build()
    {
        var rows = new Dictionary<S, Dictionary<E, Transition>>
        {
            [S.Stopped] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
            },
            [S.Starting] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Starting, SendSignal),
                [E.Spawned] = Go(S.Starting, ArmStartDeadline),
                [E.SpawnFailed] = Go(S.Backoff, EnterBackoff),
                [E.StartSecsElapsed] = Go(S.Running, ConfirmRunning),
                [E.Exited] = Go(S.Backoff, RecordEarlyExitAndBackoff),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
            },
            [S.Running] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Running, SendSignal),
                [E.Exited] = Go(S.Exited, RecordExitAndMaybeRestart),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
            },
            [S.Backoff] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Go(S.Stopped, CancelRetry),
                [E.Signal] = Reject(ErrorCode.NotRunning),
                [E.RetryDue] = Go(S.Starting, Spawn),
                [E.GiveUp] = Go(S.Fatal, GiveUp),
            },
            [S.Stopping] = new()
            {
                [E.Start] = Reject(ErrorCode.AlreadyStarted),
                [E.Stop] = Ignore,
                [E.Signal] = Go(S.Stopping, SendSignal),
                [E.Exited] = Go(S.Stopped, RecordStop),
                [E.StopTimeout] = Go(S.Stopping, Kill),
                [E.SignalFailed] = Go(S.Unknown, ClearDeadlines),
            },
            [S.Exited] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
            },
            [S.Fatal] = new()
            {
                [E.Start] = Go(S.Starting, ResetRetriesAndSpawn),
                [E.Stop] = Reject(ErrorCode.NotRunning),
                [E.Signal] = Reject(ErrorCode.NotRunning),
            },
            [S.Unknown] = new()
            {
                [E.Start] = Reject(ErrorCode.Failed),
                [E.Stop] = Go(S.Stopping, SendStopSignal),
                [E.Signal] = Go(S.Unknown, SendSignal),
                [E.Exited] = Go(S.Exited, RecordExitWithoutRestart),
            },
        };

        // Every cell not written above is an explicit Ignore: an event that needs a child or a
        // deadline this state does not have. Filling them here keeps the rows readable.
        var cells = new Dictionary<(S, E), Transition>();
        foreach (var state in States)
            foreach (var e in Events)
                cells[(state, e)] = rows[state].TryGetValue(e, out var t) ? t : Ignore;
        return cells.ToFrozenDictionary();
    }
}
