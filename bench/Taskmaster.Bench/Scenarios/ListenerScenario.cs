using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// What an event listener that never answers costs the engine: 100 churning programs plus <c>t0000</c>, without
/// a listener and with one subscribed to every PROCESS_STATE event that says READY once and then never reads
/// (its pool's queue stays full, dropping the oldest). Restart latency of <c>t0000</c> (as in Restart latency)
/// and the daemon's CPU over the kills, side by side: a listener must be within noise of none.
/// </summary>
internal static class ListenerScenario
{
    public const string Section = "Stuck listener";
    private const int Churning = 100;

    private const string DeafListener = """
        [eventlistener:deaf]
        command=/bin/sh -c "echo READY; exec sleep 3600"
        events=PROCESS_STATE
        buffer_size=10
        startsecs=0
        """;

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var kills = o.Quick ? 30 : 200;
        ctx.Book.DescribeSection(Section, $"{Churning} programs (`benchchild churn`, autorestart=true) and `t0000` (`benchchild idle`), without a listener and with `[eventlistener:deaf] events=PROCESS_STATE buffer_size=10`, a listener that says READY once and never reads again. {kills} SIGKILLs of `t0000` as in Restart latency; CPU is the daemon's over those kills.");
        foreach (var listener in new[] { false, true })
        {
            var size = listener ? "with listener" : "no listener";
            Console.WriteLine($"listener: {size}");
            ctx.ForBoth(Section, sup => ctx.WithSession(sup, listener ? "deaf" : "nodeaf", dir => Programs(o, dir), s =>
            {
                s.WaitPidFiles(Churning + 1, TimeSpan.FromSeconds(120));
                var pidFile = Path.Combine(DaemonSession.PidsDir(s.Dir), "t0000");
                var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
                var started = PidFile.Now();
                var latencies = new List<double>();
                for (var i = 0; i < kills; i++) latencies.Add(RestartLatencyScenario.KillOnce(s, pidFile));
                var cpuShare = (ProcFs.CpuSeconds(s.DaemonPid) - cpu0) / (PidFile.Now() - started);
                ctx.Book.Record(sup.Side, Section, $"restart p99 ({kills} kills)", size, "ms", Stats.Percentile(latencies, 99), 2, Bar.AtMost(20, "ms"));
                ctx.Book.Record(sup.Side, Section, "daemon CPU", size, "%", 100 * cpuShare, 1);
            }, listener ? DeafListener : null));
        }
    }

    private static IReadOnlyList<ProgramSpec> Programs(BenchOptions o, string dir)
    {
        var pids = DaemonSession.PidsDir(dir);
        var list = new List<ProgramSpec> { new("t0000", o.Child("idle", Path.Combine(pids, "t0000"))) };
        for (var i = 0; i < Churning; i++)
            list.Add(new ProgramSpec($"c{i:000}", o.Child("churn", Path.Combine(pids, $"c{i:000}"))) { StopWaitSecs = 2 });
        return list;
    }
}
