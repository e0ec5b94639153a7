using System.Net;
using System.Net.Sockets;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// What checks cost (Taskmaster only: supervisord has none). 1000 idle programs, each with a 1 s TCP liveness
/// check against one local listener the bench runs: the daemon's CPU per check over a window, and the restart latency
/// p99 of one program among them, to set beside the restart scenario's figure without checks.
/// </summary>
internal static class ProbeScenario
{
    public const string Section = "Checks (readiness/liveness)";

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var count = o.Quick ? 300 : 1000;
        var window = TimeSpan.FromSeconds(o.Quick ? 10 : 30);
        var kills = o.Quick ? 30 : 200;
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start(4096);
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource();
        var accepted = 0L;
        _ = AcceptAsync(listener, () => Interlocked.Increment(ref accepted), stop.Token);

        ctx.Book.DescribeSection(Section, $"{count} programs (`benchchild idle`), each with `liveness_check_script = tcp://127.0.0.1:PORT`, period 1 s, against one listener of the bench's. Daemon CPU (utime+stime from /proc) over {window.TotalSeconds:0} s once all are RUNNING, divided by the checks the listener accepted meanwhile; then {kills} SIGKILLs of `t0000` among them, latency as in Restart latency.");
        Console.WriteLine($"probes: {count}");
        ctx.ForBoth(Section, sup =>
        {
            if (sup.Side != Side.Taskmaster) return;
            ctx.WithSession(sup, "probes", dir => Programs(o, dir, count, port), s =>
            {
                s.WaitPidFiles(count, TimeSpan.FromSeconds(180));
                s.WaitRunning(count, TimeSpan.FromSeconds(180));
                var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
                var accepted0 = Interlocked.Read(ref accepted);
                Thread.Sleep(window);
                var cpu1 = ProcFs.CpuSeconds(s.DaemonPid);
                var checks = Interlocked.Read(ref accepted) - accepted0;
                var size = count.ToString();
                ctx.Book.Record(sup.Side, Section, $"checks per second", size, "/s", checks / window.TotalSeconds, 0);
                ctx.Book.Record(sup.Side, Section, "daemon CPU per check", size, "µs", checks == 0 ? double.NaN : (cpu1 - cpu0) / checks * 1e6, 1);
                ctx.Book.Record(sup.Side, Section, "daemon CPU share", size, "%", (cpu1 - cpu0) / window.TotalSeconds * 100, 1);
                var pidFile = Path.Combine(DaemonSession.PidsDir(s.Dir), "t0000");
                var latencies = new List<double>();
                for (var i = 0; i < kills; i++) latencies.Add(RestartLatencyScenario.KillOnce(s, pidFile));
                ctx.Book.Record(sup.Side, Section, $"restart p99 ({kills} kills)", size, "ms", Stats.Percentile(latencies, 99), 2, Bar.AtMost(20, "ms"));
            });
        });
        stop.Cancel();
    }

    private static async Task AcceptAsync(TcpListener listener, Action counted, CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                using var client = await listener.AcceptSocketAsync(ct).ConfigureAwait(false);
                counted();
            }
        }
        catch (OperationCanceledException) { }
        catch (ObjectDisposedException) { }
    }

    private static IReadOnlyList<ProgramSpec> Programs(BenchOptions o, string dir, int count, int port)
    {
        var pids = DaemonSession.PidsDir(dir);
        var check = $"liveness_check_script=tcp://127.0.0.1:{port}\nliveness_check_initial_delay=0\nliveness_check_period=1\nliveness_check_timeout=1";
        var list = new List<ProgramSpec>();
        for (var i = 0; i < count; i++)
        {
            var name = i == 0 ? "t0000" : $"p{i:0000}";
            list.Add(new ProgramSpec(name, o.Child("idle", Path.Combine(pids, name))) { ExtraLines = check });
        }
        return list;
    }
}
