using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Logging;

namespace Taskmaster.Supervision;

/// <summary>
/// What the supervision loop (<see cref="Supervisor"/>) offers the parts that work on its behalf: the transition
/// actions and the operations that outlive one message (stop, update). Every member is for the loop thread only.
/// </summary>
internal interface ISupervisionLoop
{
    /// <summary>Every process the loop owns, by name, group and start order.</summary>
    ProcessDirectory Directory { get; }

    /// <summary>A shutdown has begun: no new spawn, no new retry, no autorestart.</summary>
    bool ShuttingDown { get; }

    /// <summary>Where children's output goes (a spawn attaches to it, an in-place reload retargets it).</summary>
    IChildLogs ChildLogs { get; }

    /// <summary>The activity log.</summary>
    ILogger Logger { get; }

    /// <summary>The notify socket of a program with a <c>notify</c> check (made on first need), or null.</summary>
    string? NotifySocketFor(ProcessConfig c);

    /// <summary>Runs <paramref name="p"/>'s hook of that kind if it has one (see <see cref="Hooks.HookRunner"/>): at once,
    /// or after the hook running now.</summary>
    void RunHook(ManagedProcess p, Hooks.HookKind kind);

    /// <summary>A child of <paramref name="p"/> was spawned: its readiness check begins.</summary>
    void ChildSpawned(ManagedProcess p);

    /// <summary>Whether <paramref name="p"/>'s end (FATAL when <paramref name="fatal"/>, else an exit from RUNNING)
    /// ends the daemon (<c>exit_on</c>); if so the daemon's exit is requested and no autorestart must follow.</summary>
    bool EndsDaemon(ManagedProcess p, bool fatal);

    /// <summary>Runs one event through the transition table for <paramref name="p"/>, then the follow-ups its
    /// actions return; returns the cell the event itself used.</summary>
    Transition Dispatch(ManagedProcess p, ProcessEvent e);

    /// <summary>Dispatches Start to each of <paramref name="ordered"/> in turn (start order), unless shutting down.</summary>
    void StartInOrder(IReadOnlyList<ManagedProcess> ordered);

    /// <summary>A stop of <paramref name="processes"/> in reverse priority batches, complete once each child is
    /// reaped; the caller advances it (it is not registered with the loop).</summary>
    PendingOperation BeginReapingStop(IReadOnlyList<ManagedProcess> processes);

    /// <summary>What a new child's streams show besides their logs (listener protocol, output events); null for a
    /// stream that needs nothing.</summary>
    (IOutputTap? Stdout, IOutputTap? Stderr) OutputTaps(ManagedProcess p, int pid);

    /// <summary><paramref name="p"/>'s checks or dependency standing changed while its state stayed: watchers hear of it.</summary>
    void StandingChanged(ManagedProcess p);

    /// <summary>Groups came and went (a reload, add, remove): PROCESS_GROUP_REMOVED for <paramref name="removed"/>,
    /// the listener pools follow the directory, then PROCESS_GROUP_ADDED for <paramref name="added"/>.</summary>
    void GroupsChanged(IReadOnlyList<string> added, IReadOnlyList<string> removed);
}
