namespace Taskmaster.Daemon.Control;

/// <summary>
/// One shutdown per daemon, whoever asks first: a signal, the JSON API or XML-RPC. The doors share it, so a second
/// request by either door, or one after SIGTERM, answers SHUTDOWN_STATE instead of asking the engine again.
/// </summary>
public sealed class ShutdownLatch
{
    private int _begun;

    /// <summary>A shutdown was asked for (it may still be stopping programs).</summary>
    public bool HasBegun => Volatile.Read(ref _begun) != 0;

    /// <summary>True for the first caller only.</summary>
    public bool TryBegin() => Interlocked.Exchange(ref _begun, 1) == 0;
}
