using System.Diagnostics;
using System.Net.Sockets;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// What the web dashboard costs the daemon with N programs RUNNING: a page load (the page and its files, as a browser
/// that has them asks: revalidated by ETag) and the status read the open page repeats (<c>GET /api/v1/dashboard</c>,
/// every process with its CPU and memory read from /proc). Daemon CPU over back-to-back reads ÷ their number, and
/// the median wall time of one. Taskmaster only: supervisord's web page is another thing (no live feed, no figures).
/// </summary>
internal static class DashboardRead
{
    public const string Section = "Dashboard";

    private static readonly string[] PageFiles = ["", "dashboard/app.css", "dashboard/app.js", "dashboard/api.js", "dashboard/table.js",
        "dashboard/live.js", "dashboard/logview.js", "dashboard/ansi.js", "dashboard/format.js", "dashboard/icon.svg"];

    public static void Describe(ResultBook book, int reads) =>
        book.DescribeSection(Section, $"Same daemon as the control-latency rows, N programs RUNNING, over the unix socket (HttpClient, one connection): {reads} back-to-back `GET /api/v1/dashboard` (the status an open page reads), and {reads} page loads (the page and its 9 files, each revalidated by its ETag, as a returning browser loads it). Daemon CPU (utime+stime) ÷ {reads}, and the median wall time of one. Taskmaster only.");

    public static void Measure(BenchContext ctx, DaemonSession s, string size, int reads)
    {
        if (s.Supervisor.Side != Side.Taskmaster) return;
        var socketPath = Path.Combine(s.Dir, "d.sock");
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://localhost/") };

        var first = Get(http, "api/v1/dashboard", null).Body; // warms the connection and the daemon's code path
        if (!first.Contains("\"processes\":[{", StringComparison.Ordinal))
            throw new InvalidOperationException($"/api/v1/dashboard answered without processes: {FleetScenario.Head(first)}");
        var etags = PageFiles.ToDictionary(f => f, f => Get(http, f, null).ETag);

        Record(ctx, s, size, reads, "status read (GET /api/v1/dashboard)", () => Get(http, "api/v1/dashboard", null));
        Record(ctx, s, size, reads, "page load, cached (page + 9 files, 304s)", () =>
        {
            foreach (var file in PageFiles) Get(http, file, etags[file]);
        });
    }

    private static void Record(BenchContext ctx, DaemonSession s, string size, int reads, string what, Action read)
    {
        var walls = new List<double>();
        var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
        for (var i = 0; i < reads; i++)
        {
            var clock = Stopwatch.StartNew();
            read();
            walls.Add(clock.Elapsed.TotalMilliseconds);
        }
        var cpuMs = (ProcFs.CpuSeconds(s.DaemonPid) - cpu0) * 1000 / reads;
        ctx.Book.Record(Side.Taskmaster, Section, $"{what}: daemon CPU", size, "ms", cpuMs, 2);
        ctx.Book.Record(Side.Taskmaster, Section, $"{what}: wall time (median of {reads})", size, "ms", Stats.Median(walls), 1);
    }

    private static (string Body, string? ETag) Get(HttpClient http, string path, string? etag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (etag is not null) request.Headers.TryAddWithoutValidation("If-None-Match", etag);
        using var response = http.Send(request);
        if (!response.IsSuccessStatusCode && response.StatusCode != System.Net.HttpStatusCode.NotModified)
            throw new InvalidOperationException($"GET /{path}: HTTP {(int)response.StatusCode}");
        return (response.Content.ReadAsStringAsync().GetAwaiter().GetResult(), response.Headers.ETag?.ToString());
    }
}
