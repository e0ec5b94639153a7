using System.Net;
using Microsoft.AspNetCore.Connections;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Kestrel's transport with each listener's <see cref="ConnectionGate"/> applied inside the accept loop itself. Kestrel
/// hands every accepted connection to the thread pool before any connection middleware runs, so a burst of strangers
/// on a loaded machine could hold hundreds of accepted descriptors that no check had seen yet, and a respawn's
/// pipe2 would find none left. Judged here, a refused connection is closed before the next one is accepted: at most
/// one unjudged descriptor per listener.
/// </summary>
internal sealed class GatedListenerFactory(IConnectionListenerFactory transport, Func<EndPoint, ConnectionGate?> gateFor)
    : IConnectionListenerFactory
{
    public async ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = await transport.BindAsync(endpoint, cancellationToken).ConfigureAwait(false);
        return gateFor(endpoint) is { } gate ? new GatedListener(listener, gate) : listener;
    }

    private sealed class GatedListener(IConnectionListener inner, ConnectionGate gate) : IConnectionListener
    {
        public EndPoint EndPoint => inner.EndPoint;

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (true)
            {
                var connection = await inner.AcceptAsync(cancellationToken).ConfigureAwait(false);
                if (connection is null || gate.Admit(connection)) return connection;
                await connection.DisposeAsync().ConfigureAwait(false);
            }
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default) => inner.UnbindAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
