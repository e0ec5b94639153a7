using System.Globalization;
using Taskmaster.Events;

namespace Taskmaster.Supervision.Eventing;

/// <summary>
/// PROCESS_STATE_* events as supervisor words them: <c>processname:P groupname:G from_state:S</c>, then <c>tries</c>
/// for STARTING and BACKOFF, <c>expected</c> and <c>pid</c> for EXITED, <c>pid</c> for RUNNING, STOPPING and STOPPED.
/// Built at the state change, before the change's action runs (as supervisor renders them eagerly), so the pid is
/// the child's and the retry count the one the new state is entered with.
/// </summary>
internal static class StateEvents
{
    public static EventType TypeOf(ProcessState state) => state switch
    {
        ProcessState.Stopped => EventType.ProcessStateStopped,
        ProcessState.Starting => EventType.ProcessStateStarting,
        ProcessState.Running => EventType.ProcessStateRunning,
        ProcessState.Backoff => EventType.ProcessStateBackoff,
        ProcessState.Stopping => EventType.ProcessStateStopping,
        ProcessState.Exited => EventType.ProcessStateExited,
        ProcessState.Fatal => EventType.ProcessStateFatal,
        _ => EventType.ProcessStateUnknown,
    };

    public static SupervisorEvent For(ManagedProcess p, ProcessState from, ProcessState to, ProcessEvent cause, DateTimeOffset at)
    {
        var head = $"processname:{p.Name} groupname:{p.Group} from_state:{Name(from)}";
        var pid = p.Pid ?? (to == ProcessState.Stopped && from == ProcessState.Stopping ? p.LastPid : 0);
        var payload = to switch
        {
            // supervisor's backoff counter: BACKOFF counts the attempt that just failed, a start after FATAL starts over.
            ProcessState.Starting => $"{head} tries:{(from == ProcessState.Fatal ? 0 : p.Retries)}",
            ProcessState.Backoff => $"{head} tries:{p.Retries + 1}",
            ProcessState.Exited => $"{head} expected:{(TransitionActions.IsExpected(p.Config, cause.Exit) ? 1 : 0)} pid:{pid}",
            ProcessState.Running or ProcessState.Stopping or ProcessState.Stopped => $"{head} pid:{pid}",
            _ => head,
        };
        return new SupervisorEvent(TypeOf(to), payload, p.Name, p.Group, at);
    }

    private static string Name(ProcessState s) => s.ToString().ToUpperInvariant();
}
