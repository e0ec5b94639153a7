using Microsoft.Extensions.Hosting;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Replaces the host's console lifetime, which would stop the web server on SIGTERM by itself. The daemon owns
/// the signals: the API must keep answering while programs stop, and it is torn down only after.
/// </summary>
internal sealed class DaemonOwnedLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
