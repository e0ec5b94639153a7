using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Taskmaster.Control;
using Taskmaster.Daemon.Control.XmlRpc;
using Taskmaster.Daemon.Control.Metrics;
using Taskmaster.Daemon.Control.Dashboard;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// The control API server: Kestrel (the empty builder, no MVC, no reflection) serving /api/v1 and supervisord's
/// doors (/RPC2, /logtail, /mainlogtail) over the Unix socket and optionally TCP. <see cref="StartAsync"/> returns once both listeners accept connections; disposing
/// stops them and removes the socket.
/// </summary>
public sealed class ControlServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly UnixSocketBinding _socket;
    private readonly RefusalLog _refusals;

    private ControlServer(WebApplication app, UnixSocketBinding socket, RefusalLog refusals)
    {
        _app = app;
        _socket = socket;
        _refusals = refusals;
    }

    /// <summary>The socket path actually served (absolute).</summary>
    public string SocketPath => _socket.FinalPath;

    /// <summary>The TCP port actually bound (useful with port 0), or null.</summary>
    public int? InetPort { get; private set; }

    public static async Task<ControlServer> StartAsync(ControlServerOptions options, ISupervisor supervisor,
        IConfigurationControl configuration, IProcessLogs logs, ILoggerFactory? loggerFactory = null, CancellationToken ct = default)
    {
        loggerFactory ??= NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger("Taskmaster.Control");
        var inet = options.Inet;
        IPAddress? inetAddress = null;
        if (inet is not null)
        {
            inetAddress = ResolveListenAddress(inet.Host);
            if (!IPAddress.IsLoopback(inetAddress) && string.IsNullOrEmpty(inet.Username))
                throw new ControlServerException(
                    $"[inet_http_server] port={inet.Host}:{inet.Port} listens beyond this machine without credentials; set username and password");
        }
        var refusals = new RefusalLog(logger, options.RefusalSummaryInterval, options.Time);
        ControlDoor Door(int maxConnections, BasicCredentials? credentials, HostAllowList? hosts) => new(credentials, hosts,
            new ConnectionGate(maxConnections, keepDescriptorsForSpawning: hosts is not null, options.UnauthenticatedTimeout, options.Time,
                refusals.Record));
        var unixDoor = Door(options.Unix.MaxConnections, BasicCredentials.From(options.Unix.Username, options.Unix.Password), null);
        var inetDoor = inet is null ? null : Door(inet.MaxConnections, BasicCredentials.From(inet.Username, inet.Password),
            new HostAllowList(inet.Host, inet.AllowedHosts));

        var socket = UnixSocketBinding.Prepare(options.Unix.File);
        try
        {
            // The empty builder, not the slim one: the slim builder loads appsettings.json with
            // reloadOnChange, which puts a recursive inotify watch on the working directory. With the
            // daemon's log directory under it, every log write would wake a watcher thread (see
            // docs/BENCHMARKS.md § Design costs), and start-up would walk the whole tree. Nothing from the
            // environment or appsettings files may change where or how we listen anyway.
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { Args = [] });
            builder.WebHost.UseKestrelCore();
            builder.Services.AddRoutingCore();
            builder.Services.AddSingleton(loggerFactory);
            builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, DaemonOwnedLifetime>();
            // Registered after UseKestrelCore's socket transport, so Kestrel binds through it (it tries the last first).
            builder.Services.AddSingleton<IConnectionListenerFactory>(new GatedListenerFactory(
                new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggerFactory),
                endpoint => endpoint is System.Net.Sockets.UnixDomainSocketEndPoint ? unixDoor.Connections : inetDoor?.Connections));
            builder.WebHost.ConfigureKestrel(k =>
            {
                k.AddServerHeader = false;
                k.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
                k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
                // A client that does not read (a follow) holds at most this much of the server's memory before the
                // writer waits: with the follow's chunk size, what one idle follower costs is bounded.
                k.Limits.MaxResponseBufferSize = 64 * 1024;
                k.ListenUnixSocket(socket.BindPath, listen => listen.Use(unixDoor.Connections.Wrap));
                if (inetDoor is not null) k.Listen(inetAddress!, inet!.Port, listen => listen.Use(inetDoor.Connections.Wrap));
            });

            var app = builder.Build();
            var api = new ControlApi(supervisor, configuration, logs, options, logger);
            api.Map(app, unixDoor, inetDoor, new LoginThrottle(options.Time), refusals);
            // supervisord's doors, behind the same checks (the middleware ControlApi.Map installs runs for every route).
            XmlRpcEndpoint.Map(app, new SupervisorRpcInterface(supervisor, configuration, logs, options, logger), logger);
            LogTailEndpoint.Map(app, logs);
            MetricsEndpoint.Map(app, supervisor, options);
            DashboardEndpoint.Map(app, supervisor, options);

            try
            {
                await app.StartAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new ControlServerException($"control server cannot listen: {e.Message}", e);
            }

            var server = new ControlServer(app, socket, refusals);
            try
            {
                socket.Publish(options.Unix.Chmod, options.Unix.Chown);
            }
            catch
            {
                await server.DisposeAsync().ConfigureAwait(false);
                throw;
            }
            if (socket.ReplacedStale) ControlServerLog.RemovedStaleSocket(logger, socket.FinalPath);
            ControlServerLog.ListeningUnix(logger, socket.FinalPath);
            if (inet is not null)
            {
                server.InetPort = FindBoundPort(app) ?? inet.Port;
                ControlServerLog.ListeningInet(logger, inetAddress!.ToString(), server.InetPort.Value);
                if (inetDoor!.Credentials is null) ControlServerLog.InetWithoutAuthentication(logger);
            }
            return server;
        }
        catch
        {
            socket.Dispose();
            refusals.Dispose();
            throw;
        }
    }

    private static int? FindBoundPort(WebApplication app)
    {
        foreach (var url in app.Urls)
            if (url.StartsWith("http://", StringComparison.Ordinal) && !url.Contains("unix:", StringComparison.Ordinal) && Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Port > 0)
                return u.Port;
        return null;
    }

    private static IPAddress ResolveListenAddress(string host)
    {
        if (host is "" or "*") return IPAddress.Any;
        if (host.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return IPAddress.Loopback;
        if (IPAddress.TryParse(host.Trim('[', ']'), out var address)) return address;
        try
        {
            var resolved = Dns.GetHostAddresses(host);
            return resolved.Length > 0 ? resolved[0] : throw new ControlServerException($"[inet_http_server] cannot resolve {host}");
        }
        catch (System.Net.Sockets.SocketException e)
        {
            throw new ControlServerException($"[inet_http_server] cannot resolve {host}: {e.Message}", e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await _app.StopAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
        await _app.DisposeAsync().ConfigureAwait(false);
        _socket.Dispose();
        _refusals.Dispose();
    }
}
