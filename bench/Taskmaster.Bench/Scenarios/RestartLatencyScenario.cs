using System.Diagnostics;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// SIGKILL the supervised pid of one autorestart program and time until its replacement is alive.
/// "Alive" is the timestamp the replacement writes itself (before any supervisor bookkeeping can
/// be observed), so the figure does not depend on how often anything is polled.
/// </summary>
internal static class RestartLatencyScenario
{
    public const string Section = "Restart latency";

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        var kills = o.Quick ? 30 : 200;
        ctx.Book.DescribeSection(Section, $"Program `t0000` (`benchchild idle`, autorestart=true, startsecs=0), alone and beside 100 other running programs. {kills} times: wait until `status t0000` shows RUNNING with the pid from its pid file, SIGKILL that pid, then the latency is the replacement's own start timestamp (CLOCK_REALTIME, the first thing it does after exec) minus the kill time.");
        foreach (var others in new[] { 0, 100 })
        {
            var size = others == 0 ? "1" : $"1 + {others}";
            Console.WriteLine($"restart: {size}");
            ctx.ForBoth(Section, sup => ctx.WithSession(sup, $"restart{others}", dir => Programs(o, dir, others), s =>
            {
                s.WaitPidFiles(others + 1, TimeSpan.FromSeconds(120));
                s.WaitRunning(others + 1, TimeSpan.FromSeconds(120));
                var pidFile = Path.Combine(DaemonSession.PidsDir(s.Dir), "t0000");
                var latencies = new List<double>();
                for (var i = 0; i < kills; i++) latencies.Add(KillOnce(s, pidFile));
                ctx.Book.Record(sup.Side, Section, "p50", size, "ms", Stats.Median(latencies), 2, Bar.AtMost(10, "ms"));
                ctx.Book.Record(sup.Side, Section, $"p99 ({kills} kills)", size, "ms", Stats.Percentile(latencies, 99), 2, Bar.AtMost(20, "ms"));
            }));
        }
    }

    internal static double KillOnce(DaemonSession s, string pidFile)
    {
        var current = PidFile.TryRead(pidFile) ?? throw new InvalidOperationException("t0000 has no pid file");
        // Kill only a process the supervisor already counts as RUNNING: a kill during STARTING would
        // measure the back-off policy instead of the restart path.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            var status = s.Ctl("status", "t0000").ParseStatus();
            if (status.TryGetValue("t0000", out var st) && st.State == "RUNNING" && st.Pid == current.Pid) break;
            if (deadline.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"t0000 not RUNNING as pid {current.Pid}");
            Thread.Sleep(5);
            current = PidFile.TryRead(pidFile) ?? current;
        }
        var killedAt = PidFile.Now();
        Posix.Kill(current.Pid, Posix.SigKill);
        while (true)
        {
            if (PidFile.TryRead(pidFile) is { } next && next.Pid != current.Pid) return (next.StartedAt - killedAt) * 1000;
            if (deadline.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException($"t0000 not restarted after SIGKILL of {current.Pid}");
            Thread.Sleep(1);
        }
    }

    private static IReadOnlyList<ProgramSpec> Programs(BenchOptions o, string dir, int others)
    {
        var pids = DaemonSession.PidsDir(dir);
        var list = new List<ProgramSpec> { new("t0000", o.Child("idle", Path.Combine(pids, "t0000"))) };
        for (var i = 0; i < others; i++) list.Add(new ProgramSpec($"p{i:0000}", o.Child("idle", Path.Combine(pids, $"p{i:0000}"))));
        return list;
    }
}
