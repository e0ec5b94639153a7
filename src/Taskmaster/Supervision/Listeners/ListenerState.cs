namespace Taskmaster.Supervision.Listeners;

/// <summary>Where one listener process is in supervisor's protocol (supervisor's names and codes).</summary>
internal enum ListenerState
{
    /// <summary>Said READY, waits for an event.</summary>
    Ready = 10,
    /// <summary>Has an event and owes its result.</summary>
    Busy = 20,
    /// <summary>Freshly spawned, or its last result was taken: must say READY.</summary>
    Acknowledged = 30,
    /// <summary>Broke the protocol: gets nothing more until it is restarted.</summary>
    Unknown = 40,
}
