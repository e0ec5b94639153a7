namespace Taskmaster.Supervision;

/// <summary>
/// Stable error codes of engine operations and the control API. The numbers are supervisord's
/// XML-RPC fault codes, so people and tools that know those recognise them.
/// </summary>
public enum ErrorCode
{
    UnknownMethod = 1,
    IncorrectParameters = 2,
    BadArguments = 3,
    ShutdownState = 6,
    BadName = 10,
    BadSignal = 11,
    NoFile = 20,
    NotExecutable = 21,
    Failed = 30,
    AbnormalTermination = 40,
    SpawnError = 50,
    AlreadyStarted = 60,
    NotRunning = 70,
    AlreadyAdded = 90,
    StillRunning = 91,
    CantReread = 92,
}
