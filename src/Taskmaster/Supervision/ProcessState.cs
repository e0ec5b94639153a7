namespace Taskmaster.Supervision;

/// <summary>supervisord's process states, with its numeric codes (the API exposes both).</summary>
public enum ProcessState
{
    Stopped = 0,
    Starting = 10,
    Running = 20,
    Backoff = 30,
    Stopping = 40,
    Exited = 100,
    Fatal = 200,
    Unknown = 1000,
}
