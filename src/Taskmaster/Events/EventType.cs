namespace Taskmaster.Events;

/// <summary>
/// supervisor's event types, one bit per concrete type, so a subscription is a mask and "does anyone want this" is
/// one AND. The abstract types (<c>PROCESS_STATE</c>, <c>TICK</c>, <c>EVENT</c>…) are unions of their children
/// (<see cref="EventTypeNames"/>); they never appear in a header.
/// </summary>
[Flags]
public enum EventType : uint
{
    None = 0,
    ProcessStateStopped = 1 << 0,
    ProcessStateExited = 1 << 1,
    ProcessStateStarting = 1 << 2,
    ProcessStateStopping = 1 << 3,
    ProcessStateBackoff = 1 << 4,
    ProcessStateFatal = 1 << 5,
    ProcessStateRunning = 1 << 6,
    ProcessStateUnknown = 1 << 7,
    ProcessCommunicationStdout = 1 << 8,
    ProcessCommunicationStderr = 1 << 9,
    ProcessLogStdout = 1 << 10,
    ProcessLogStderr = 1 << 11,
    RemoteCommunication = 1 << 12,
    SupervisorStateChangeRunning = 1 << 13,
    SupervisorStateChangeStopping = 1 << 14,
    Tick5 = 1 << 15,
    Tick60 = 1 << 16,
    Tick3600 = 1 << 17,
    ProcessGroupAdded = 1 << 18,
    ProcessGroupRemoved = 1 << 19,

    ProcessState = ProcessStateStopped | ProcessStateExited | ProcessStateStarting | ProcessStateStopping
        | ProcessStateBackoff | ProcessStateFatal | ProcessStateRunning | ProcessStateUnknown,
    ProcessCommunication = ProcessCommunicationStdout | ProcessCommunicationStderr,
    ProcessLog = ProcessLogStdout | ProcessLogStderr,
    SupervisorStateChange = SupervisorStateChangeRunning | SupervisorStateChangeStopping,
    Tick = Tick5 | Tick60 | Tick3600,
    ProcessGroup = ProcessGroupAdded | ProcessGroupRemoved,
    Event = ProcessState | ProcessCommunication | ProcessLog | RemoteCommunication | SupervisorStateChange | Tick | ProcessGroup,
}
