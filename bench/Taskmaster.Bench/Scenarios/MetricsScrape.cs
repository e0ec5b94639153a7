using System.Diagnostics;
using System.Net.Sockets;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// What a Prometheus scrape of <c>/metrics</c> costs the daemon with N programs RUNNING: its own CPU (utime+stime
/// over a run of back-to-back scrapes, divided by their number, since /proc counts in 10 ms ticks) and the wall time
/// of one scrape at the socket. Taskmaster only: supervisord serves no metrics (its exporters poll XML-RPC).
/// </summary>
internal static class MetricsScrape
{
    public const string Section = "Metrics scrape";

    public static void Describe(ResultBook book, int scrapes) =>
        book.DescribeSection(Section, $"Same daemon as the control-latency rows, N programs RUNNING: {scrapes} back-to-back `GET /metrics` over the unix socket (HttpClient, one connection). Daemon CPU (utime+stime) over all of them ÷ {scrapes}, and the median wall time of one scrape. Taskmaster only: supervisord has no metrics endpoint.");

    public static void Measure(BenchContext ctx, DaemonSession s, string size, int scrapes, bool barred)
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

        var first = Scrape(http); // warms the connection and the daemon's code path
        if (!first.Contains("node_supervisord_up{", StringComparison.Ordinal))
            throw new InvalidOperationException($"/metrics answered without process series: {FleetScenario.Head(first)}");

        var walls = new List<double>();
        var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
        for (var i = 0; i < scrapes; i++)
        {
            var clock = Stopwatch.StartNew();
            Scrape(http);
            walls.Add(clock.Elapsed.TotalMilliseconds);
        }
        var cpuMs = (ProcFs.CpuSeconds(s.DaemonPid) - cpu0) * 1000 / scrapes;
        ctx.Book.Record(Side.Taskmaster, Section, "daemon CPU per scrape", size, "ms", cpuMs, 2, barred ? Bar.AtMost(20, "ms") : null);
        ctx.Book.Record(Side.Taskmaster, Section, $"scrape wall time (median of {scrapes})", size, "ms", Stats.Median(walls), 1);
    }

    private static string Scrape(HttpClient http)
    {
        using var response = http.GetAsync("metrics").GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        return response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
    }
}
