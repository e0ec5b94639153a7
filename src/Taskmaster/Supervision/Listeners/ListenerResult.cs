namespace Taskmaster.Supervision.Listeners;

/// <summary>What a listener's output meant, one protocol step at a time.</summary>
internal enum ListenerResult
{
    /// <summary>It said READY.</summary>
    Ready,
    /// <summary>Its result was OK: the event is done.</summary>
    Accepted,
    /// <summary>Its result was anything else (FAIL): the event goes back to the head of the pool's queue.</summary>
    Rejected,
    /// <summary>It wrote what the protocol does not allow; with an event in hand, the event is rejected too.</summary>
    ProtocolError,
}
