using System.Collections.Concurrent;
using Microsoft.AspNetCore.Connections;
using Taskmaster.Spawning;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Connection-level limits of one listener, applied at accept (<see cref="GatedListenerFactory"/>) before any byte is read:
/// <list type="bullet">
/// <item>at most <c>max_connections</c> at once; one more is closed at once (per listener, so strangers filling the
/// TCP port never lock the owner out of the unix socket);</item>
/// <item>with <paramref name="keepDescriptorsForSpawning"/> (TCP, which strangers reach), none that would leave fewer
/// descriptors than <see cref="DescriptorReserve.ForConnections"/> keeps for spawning, so idle connections can never
/// make a respawn fail for want of a pipe; the owner's unix socket is not refused for what strangers hold;</item>
/// <item>a connection that has not passed authentication (its first request's checks) within
/// <see cref="ControlServerOptions.UnauthenticatedTimeout"/> is closed, far sooner than Kestrel's keep-alive.</item>
/// </list>
/// </summary>
/// <param name="refused">Told of each connection closed at accept, with the reason and the peer.</param>
internal sealed class ConnectionGate(int maxConnections, bool keepDescriptorsForSpawning, TimeSpan unauthenticatedTimeout,
    TimeProvider time, Action<string, string> refused)
{
    private int _open;
    private readonly ConcurrentDictionary<string, ITimer> _unauthenticated = new();

    /// <summary>Connections currently served.</summary>
    public int Open => Volatile.Read(ref _open);

    /// <summary>
    /// The admission check, run by <see cref="GatedListenerFactory"/> inside the accept loop: false (and the connection
    /// aborted, its refusal told) when it is one too many or would eat into the descriptors kept for spawning. An
    /// admitted connection counts as open until <see cref="Wrap"/>'s middleware sees it end. (A connection Kestrel drops
    /// between the two, which only its shutdown does, stays counted: harmless then, and the middleware's finally is
    /// the one end every served connection is certain to reach.)
    /// </summary>
    public bool Admit(ConnectionContext connection)
    {
        var overLimit = Interlocked.Increment(ref _open) > maxConnections;
        if (!overLimit && (!keepDescriptorsForSpawning || DescriptorReserve.AdmitsConnection())) return true;
        Interlocked.Decrement(ref _open);
        connection.Abort();
        refused(overLimit ? "connection over max_connections" : "connection (descriptors kept for spawning)", PeerOf(connection));
        return false;
    }

    /// <summary>Kestrel connection middleware for this listener: the authentication deadline, and the count's end.</summary>
    public ConnectionDelegate Wrap(ConnectionDelegate next) => async connection =>
    {
        var timer = time.CreateTimer(_ => connection.Abort(new ConnectionAbortedException("not authenticated in time")),
            null, unauthenticatedTimeout, Timeout.InfiniteTimeSpan);
        _unauthenticated[connection.ConnectionId] = timer;
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            if (_unauthenticated.TryRemove(connection.ConnectionId, out var pending)) pending.Dispose();
            Interlocked.Decrement(ref _open);
        }
    };

    private static string PeerOf(ConnectionContext connection) =>
        connection.RemoteEndPoint is System.Net.IPEndPoint ip ? LoginThrottle.PeerOf(ip.Address) : "unix socket";

    /// <summary>The connection's request passed authentication: from now on only Kestrel's own timeouts apply.</summary>
    public void Authenticated(string connectionId)
    {
        if (_unauthenticated.TryRemove(connectionId, out var timer)) timer.Dispose();
    }
}
