using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.Metrics;

/// <summary>
/// <c>GET /metrics</c>: every process in Prometheus's text format, behind the same checks and credentials as the rest
/// of the control server. First the series the supervisord exporters people already alert on emit, with their names,
/// labels and meaning (node_exporter's <c>node_supervisord_*</c>, which the Go port serves too, and the standalone
/// exporters' <c>supervisor_*</c>), then our own <c>taskmaster_*</c> series. Everything is computed when the scrape
/// comes: CPU and memory from /proc at that moment, counts from the engine's snapshot; nothing runs between scrapes.
/// </summary>
internal static class MetricsEndpoint
{
    public static void Map(WebApplication app, ISupervisor supervisor, ControlServerOptions options) =>
        app.MapGet("/metrics", ctx => WriteAsync(ctx, supervisor, options));

    private static async Task WriteAsync(HttpContext ctx, ISupervisor supervisor, ControlServerOptions options)
    {
        var ct = ctx.RequestAborted;
        var processes = await supervisor.GetProcessesAsync(ct).ConfigureAwait(false);
        var now = options.Time.GetUtcNow();
        var usage = new ProcUsage?[processes.Count];
        for (var i = 0; i < processes.Count; i++)
            if (processes[i].Pid is { } pid) usage[i] = ProcUsage.Read(pid);

        ctx.Response.ContentType = PrometheusText.ContentType;
        ctx.Response.Headers.CacheControl = "no-store";
        var text = new PrometheusText(ctx.Response);

        text.Family("supervisord_up", "gauge", "Whether the supervisor answered (always 1 when this page is served).");
        text.Sample("supervisord_up", 1);
        text.Family("taskmaster_build_info", "gauge", "The daemon's version, as a label.");
        text.Sample("taskmaster_build_info", "version", options.ReportedVersion, "supervisor_api", "3.0", 1);

        await PerProcess(text, processes, "node_supervisord_up", "gauge",
            "1 if the process is STARTING, RUNNING or STOPPING, else 0 (node_exporter's supervisord collector).",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, IsUp(p.State) ? 1 : 0), ct);
        await PerProcess(text, processes, "node_supervisord_state", "gauge",
            "supervisord's numeric state code (0 STOPPED, 10 STARTING, 20 RUNNING, 30 BACKOFF, 40 STOPPING, 100 EXITED, 200 FATAL, 1000 UNKNOWN).",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, (int)p.State), ct);
        await PerProcess(text, processes, "node_supervisord_exit_status", "gauge",
            "Exit status of the last child as supervisord reports it (-1 when killed by a signal, 0 before any exit).",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, ExitStatusOf(p)), ct);
        // node_exporter and the Go port type this one a counter; a timestamp is a gauge, and Prometheus's linter
        // refuses a counter without _total. The name, labels and value are theirs, which is what queries use.
        await PerProcess(text, processes, "node_supervisord_start_time_seconds", "gauge",
            "Unix time the current child started; present only while the process is up.",
            (t, p, n) =>
            {
                if (IsUp(p.State) && p.StartedAt is { } started) t.Sample(n, "group", p.Group, "name", p.Name, started.ToUnixTimeMilliseconds() / 1000.0);
            }, ct);

        await PerProcess(text, processes, "supervisor_process_info", "gauge",
            "1 if the process is RUNNING, else 0, with its state and last exit status as labels (the supervisord exporters' series).",
            (t, p, n) => t.Sample(n, "name", p.Name, "group", p.Group, "state", StateName(p.State),
                "exit_status", ExitStatusOf(p).ToString(System.Globalization.CultureInfo.InvariantCulture), p.State == ProcessState.Running ? 1 : 0), ct);
        await PerProcess(text, processes, "supervisor_process_uptime", "gauge",
            "Seconds since the current child started; present only while the process is RUNNING.",
            (t, p, n) =>
            {
                if (p.State == ProcessState.Running && p.StartedAt is { } started)
                    t.Sample(n, "name", p.Name, "group", p.Group, Math.Max(0, (now - started).TotalSeconds));
            }, ct);

        await PerProcess(text, processes, "taskmaster_process_spawns_total", "counter",
            "Children started for the process since the daemon began supervising it.",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, p.Counts.Spawns), ct);
        await PerProcess(text, processes, "taskmaster_process_restarts_total", "counter",
            "Children started after the first one (automatic restarts, retries and commanded restarts).",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, p.Counts.Restarts), ct);
        await PerProcess(text, processes, "taskmaster_process_spawn_failures_total", "counter",
            "Start attempts that created no child (no such file, not executable, no resources).",
            (t, p, n) => t.Sample(n, "group", p.Group, "name", p.Name, p.Counts.SpawnFailures), ct);
        await PerProcess(text, processes, "taskmaster_process_state_transitions_total", "counter",
            "Times the process entered each state, by the state entered (states never entered are left out).",
            (t, p, n) =>
            {
                foreach (var (state, count) in p.Counts.Entered)
                    if (count > 0) t.Sample(n, "group", p.Group, "name", p.Name, "to", StateName(state), count);
            }, ct);
        await PerProcess(text, processes, "taskmaster_process_log_bytes_total", "counter",
            "Bytes captured from the process's output, by stream.",
            (t, p, n) =>
            {
                t.Sample(n, "group", p.Group, "name", p.Name, "stream", "stdout", p.Counts.StdoutBytes);
                t.Sample(n, "group", p.Group, "name", p.Name, "stream", "stderr", p.Counts.StderrBytes);
            }, ct);

        text.Family("taskmaster_process_cpu_seconds_total", "counter",
            "User and system CPU time of the current child itself (read from /proc at scrape time; starts again with each child).");
        for (var i = 0; i < processes.Count; i++)
            if (usage[i] is { } u) text.Sample("taskmaster_process_cpu_seconds_total", "group", processes[i].Group, "name", processes[i].Name, u.CpuSeconds);
        text.Family("taskmaster_process_resident_memory_bytes", "gauge",
            "Resident memory of the current child itself (read from /proc at scrape time).");
        for (var i = 0; i < processes.Count; i++)
            if (usage[i] is { } u) text.Sample("taskmaster_process_resident_memory_bytes", "group", processes[i].Group, "name", processes[i].Name, u.ResidentBytes);
        await text.FlushAsync(ct).ConfigureAwait(false);
    }

    private static async ValueTask PerProcess(PrometheusText text, IReadOnlyList<ProcessSnapshot> processes, string name, string type,
        string help, Action<PrometheusText, ProcessSnapshot, string> sample, CancellationToken ct)
    {
        text.Family(name, type, help);
        foreach (var p in processes)
        {
            sample(text, p, name);
            await text.FlushIfLargeAsync(ct).ConfigureAwait(false);
        }
    }

    private static bool IsUp(ProcessState state) => state is ProcessState.Starting or ProcessState.Running or ProcessState.Stopping;

    private static string StateName(ProcessState state) => state.ToString().ToUpperInvariant();

    /// <summary>supervisord's <c>exitstatus</c>: the exit code, -1 for a child killed by a signal, 0 before any exit.</summary>
    private static int ExitStatusOf(ProcessSnapshot p) => p.LastExit switch
    {
        { Code: { } code } => code,
        { Signal: not null } => -1,
        _ => 0,
    };
}
