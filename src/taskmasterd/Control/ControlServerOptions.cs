using System.Reflection;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control;

/// <summary>Where and how the control API listens, plus the optional services some endpoints need.</summary>
public sealed record ControlServerOptions
{
    /// <summary>The Unix socket (always served; supervisorctl's default transport).</summary>
    public UnixHttpServerSettings Unix { get; init; } = new();

    /// <summary>Optional TCP endpoint; the server refuses to start on a non-loopback address without credentials.</summary>
    public InetHttpServerSettings? Inet { get; init; }

    /// <summary>For <c>GET /programs</c> (avail, list). Without it the list is derived from the live processes.</summary>
    public IProgramCatalog? Programs { get; init; }

    /// <summary>For <c>POST /processes/{name}/stdin</c> (fg): the engine's stdin writes. Without it that endpoint
    /// answers UNSUPPORTED.</summary>
    public IProcessStdin? Input { get; init; }

    /// <summary>Called once <see cref="Supervision.ISupervisor.ShutdownAsync"/> has completed after a shutdown request,
    /// so the daemon can exit; the API has already answered by then.</summary>
    public Action? ShutdownCompleted { get; init; }

    /// <summary>Whether a shutdown has begun, shared by both doors and the daemon's signal handling.</summary>
    public ShutdownLatch Shutdown { get; init; } = new();

    /// <summary>Largest request body accepted (413 BODY_TOO_LARGE beyond it).</summary>
    public long MaxRequestBodyBytes { get; init; } = 1 << 20;

    /// <summary>How long a connection may stay open before a request of it passes authentication.</summary>
    public TimeSpan UnauthenticatedTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often refused requests are summed up in one log line (the first is logged at once).</summary>
    public TimeSpan RefusalSummaryInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The clock of the login back-off and the refusal summaries.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The version the API reports; defaults to the assembly's informational version.</summary>
    public string? Version { get; init; }

    /// <summary>The <c>[taskmasterd] identifier</c> (XML-RPC getIdentification).</summary>
    public string Identifier { get; init; } = "taskmaster";

    /// <summary>The daemon's activity log (XML-RPC clearLog), or null when it has none.</summary>
    public string? MainLogfile { get; init; }

    /// <summary>The configuration last read (XML-RPC getAllConfigInfo). Without it that method answers an empty list.</summary>
    public Func<SupervisorConfig>? CurrentConfig { get; init; }

    /// <summary><see cref="Version"/>, else the daemon's informational version without its source revision.</summary>
    public string ReportedVersion => Version
        ?? typeof(ControlServerOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0]
        ?? "0.0.0";

    /// <summary>Options taken from a loaded configuration.</summary>
    public static ControlServerOptions FromConfig(SupervisorConfig config) => new()
    {
        Unix = config.UnixHttpServer ?? new UnixHttpServerSettings(),
        Inet = config.InetHttpServer,
        Identifier = config.Daemon.Identifier,
        MainLogfile = config.Daemon.Logfile,
        CurrentConfig = () => config,
    };
}
