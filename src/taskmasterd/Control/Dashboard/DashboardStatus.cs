using System.Text.Json.Serialization;
using Taskmaster.Control;

namespace Taskmaster.Daemon.Control.Dashboard;

/// <summary>The body of <c>GET /api/v1/dashboard</c>: who the daemon is, and every process.</summary>
internal sealed record DashboardStatus(DashboardDaemon Daemon, IReadOnlyList<DashboardProcess> Processes);

/// <summary>The daemon's identity: <c>[taskmasterd] identifier</c>, version, pid, start, the file it was started on.</summary>
internal sealed record DashboardDaemon(string Identifier, string Version, int Pid, DateTimeOffset StartedAt, DateTimeOffset Now, string? ConfigFile);

/// <summary>One process: what <c>GET /api/v1/processes</c> says of it, its counts, and the CPU seconds and resident
/// bytes of its current child as <c>/metrics</c> reports them (null without a child).</summary>
internal sealed record DashboardProcess(ProcessInfo Info, long Restarts, long Spawns, double? CpuSeconds, long? ResidentBytes);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(DashboardStatus))]
internal sealed partial class DashboardJsonContext : JsonSerializerContext;
