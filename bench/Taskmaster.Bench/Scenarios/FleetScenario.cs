using System.Diagnostics;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// N long-lived programs. One daemon run per (supervisor, N, startsecs) measures, in order:
/// scale-up (launch → all RUNNING); with startsecs=0 also idle cost, control latency and
/// a <c>/metrics</c> scrape and SIGTERM → exit; with startsecs=1 also <c>stop all</c>. Sharing the run keeps the bench short,
/// and each figure is taken from a daemon in the same steady state for both supervisors.
/// </summary>
internal static class FleetScenario
{
    public const string ScaleUp = "Scale-up";
    public const string Idle = "Idle cost";
    public const string Control = "Control latency";
    public const string Sigterm = "SIGTERM → exit";
    public const string MassStop = "Mass stop";
    private const int ScaleUpLaunches = 3;

    public static void Run(BenchContext ctx)
    {
        var o = ctx.Options;
        int[] sizes = o.Quick ? [1, 10, 100] : [1, 10, 100, 1000];
        var idleWindow = TimeSpan.FromSeconds(o.Quick ? 10 : 30);
        var statusRepeats = o.Quick ? 10 : 20;
        var cycleRepeats = o.Quick ? 3 : 5;
        var scrapes = o.Quick ? 20 : 50;
        Describe(ctx.Book, idleWindow, statusRepeats, cycleRepeats);
        MetricsScrape.Describe(ctx.Book, scrapes);
        DashboardRead.Describe(ctx.Book, scrapes);

        foreach (var startSecs in new[] { 0, 1 })
        {
            foreach (var n in sizes)
            {
                Console.WriteLine($"fleet: N={n} startsecs={startSecs}");
                var size = n.ToString();
                // The floor is measured beside the run it divides, so both meet the same machine.
                var floor = FleetFloor.Measure(ctx, n);
                if (floor is not null)
                    Console.WriteLine($"  C floor: spawn {floor.SpawnSeconds:F3} s, stop {floor.StopSeconds:F3} s");
                var timeout = TimeSpan.FromSeconds(60 + n * 0.5);
                double ScaleUpOf(DaemonSession s)
                {
                    s.WaitJoined(JoinedFile(s.Dir), n, timeout);
                    s.WaitRunning(n, timeout);
                    return s.SinceLaunch.Elapsed.TotalSeconds;
                }
                ctx.ForBoth(ScaleUp, sup =>
                {
                    // One launch is one sample of a noisy machine: two more before it, each a fresh daemon stopped
                    // again, and the median of the three counts. The last one's daemon serves the measurements below.
                    var launches = new List<double>();
                    for (var extra = 1; extra < ScaleUpLaunches; extra++)
                        ctx.WithSession(sup, $"fleet{n}-s{startSecs}-{extra}", dir => Programs(o, dir, n, startSecs), s => launches.Add(ScaleUpOf(s)));
                    ctx.WithSession(sup, $"fleet{n}-s{startSecs}", dir => Programs(o, dir, n, startSecs), s =>
                    {
                        launches.Add(ScaleUpOf(s));
                        ctx.Book.Record(sup.Side, ScaleUp, $"launch → all RUNNING, startsecs={startSecs} (median of {ScaleUpLaunches})", size, "s",
                            Stats.Median(launches), 2, n == o.BarSize ? Bar.RatioAtMost(0.1) : null);
                        if (floor is not null && startSecs == 0)
                            ctx.Book.Record(sup.Side, ScaleUp, "launch → all RUNNING ÷ C floor (posix_spawn of N until their N lines)", size, "×",
                                Stats.Median(launches) / floor.SpawnSeconds, 2);

                        if (startSecs == 0)
                        {
                            if (n >= 10) MeasureIdle(ctx, s, size, idleWindow);
                            MeasureControl(ctx, s, size, statusRepeats, cycleRepeats, n == 1 || n == o.BarSize);
                            MetricsScrape.Measure(ctx, s, size, scrapes, n == o.BarSize);
                            DashboardRead.Measure(ctx, s, size, scrapes);
                            var exit = s.TerminateAndWait(TimeSpan.FromSeconds(120));
                            ctx.Book.Record(sup.Side, Sigterm, "SIGTERM → daemon exited", size, "s", exit.TotalSeconds, 3,
                                n == o.BarSize ? Bar.RatioAtMost(0.1) : null);
                        }
                        else
                        {
                            var stop = s.Ctl(TimeSpan.FromSeconds(300), "stop", "all");
                            var stopped = stop.Output.Split('\n').Count(l => l.EndsWith(": stopped", StringComparison.Ordinal));
                            if (stopped != n) throw new InvalidOperationException($"stop all reported {stopped} of {n} stopped: {Head(stop.Output)}");
                            ctx.Book.Record(sup.Side, MassStop, "`stop all`", size, "s", stop.Elapsed.TotalSeconds, 3,
                                n == o.BarSize ? Bar.RatioAtMost(0.2) : null);
                            if (floor is not null)
                                ctx.Book.Record(sup.Side, MassStop, "`stop all` ÷ C floor (kill(-pgid, TERM) + reap of N)", size, "×",
                                    stop.Elapsed.TotalSeconds / floor.StopSeconds, 2, n == o.BarSize ? Bar.AtMost(1.6, "×") : null);
                        }
                    });
                });
            }
        }
    }

    private static IReadOnlyList<ProgramSpec> Programs(BenchOptions o, string dir, int n, int startSecs) =>
        Enumerable.Range(0, n).Select(i =>
        {
            var name = $"p{i:0000}";
            return new ProgramSpec(name, o.Child("joined", JoinedFile(dir))) { StartSecs = startSecs };
        }).ToList();

    /// <summary>The one file every program of the fleet appends its "pid start-time" line to.</summary>
    private static string JoinedFile(string dir) => Path.Combine(DaemonSession.PidsDir(dir), "joined");

    private static void MeasureIdle(BenchContext ctx, DaemonSession s, string size, TimeSpan window)
    {
        // Let the burst of the start-up settle before sampling the steady state.
        Thread.Sleep(TimeSpan.FromSeconds(1));
        var pid = s.DaemonPid;
        var cpu0 = ProcFs.CpuSeconds(pid);
        var ctx0 = ProcFs.VoluntaryContextSwitches(pid);
        var clock = Stopwatch.StartNew();
        Thread.Sleep(window);
        var cpu1 = ProcFs.CpuSeconds(pid);
        var ctx1 = ProcFs.VoluntaryContextSwitches(pid);
        var seconds = clock.Elapsed.TotalSeconds;
        var rssMb = ProcFs.RssKb(pid) / 1024.0;
        var big = size == ctx.Options.BarSize.ToString();
        var side = s.Supervisor.Side;
        ctx.Book.Record(side, Idle, "daemon RSS", size, "MB", rssMb, 1, big ? Bar.RatioAtMost(1.0) : null);
        ctx.Book.Record(side, Idle, $"daemon CPU over {window.TotalSeconds:0} s", size, "s", cpu1 - cpu0, 2, big ? Bar.RatioAtMost(0.1) : null);
        ctx.Book.Record(side, Idle, "voluntary context switches", size, "/s", ProcFs.ContextSwitchesBetween(ctx0, ctx1) / seconds, 1);
    }

    private static void MeasureControl(BenchContext ctx, DaemonSession s, string size, int statusRepeats, int cycleRepeats, bool barred)
    {
        var status = new List<double>();
        for (var i = 0; i < statusRepeats; i++)
        {
            var r = s.Ctl("status");
            if (r.CountInState("RUNNING") == 0) throw new InvalidOperationException($"status shows nothing running: {Head(r.Output)}");
            status.Add(r.Elapsed.TotalMilliseconds);
        }
        var cycles = new List<double>();
        for (var i = 0; i < cycleRepeats; i++)
        {
            var stop = s.Ctl("stop", "p0000");
            var start = s.Ctl("start", "p0000");
            if (!stop.Output.Contains("stopped", StringComparison.Ordinal) || !start.Output.Contains("started", StringComparison.Ordinal))
                throw new InvalidOperationException($"stop/start p0000 answered: {Head(stop.Output)} / {Head(start.Output)}");
            cycles.Add((stop.Elapsed + start.Elapsed).TotalMilliseconds);
        }
        var side = s.Supervisor.Side;
        ctx.Book.Record(side, Control, $"`status` wall time (median of {statusRepeats})", size, "ms", Stats.Median(status), 1, barred ? Bar.RatioAtMost(0.1) : null);
        ctx.Book.Record(side, Control, $"`stop`+`start` of one program (median of {cycleRepeats})", size, "ms", Stats.Median(cycles), 1);
    }

    private static void Describe(ResultBook book, TimeSpan idleWindow, int statusRepeats, int cycleRepeats)
    {
        book.DescribeSection(ScaleUp, "N programs (`benchchild joined`: appends its pid and start time to one file all of them share, then waits for a signal), autostart. Time from launching `daemon -c FILE -n` until a `status` call returns N RUNNING (the bench first waits for the N lines in that file, then polls `status` back to back; the figure includes one `status` round trip). Median of 3 launches, each a fresh daemon; the last one's daemon then serves the measurements below. The C floor (bench/fixtures/fleetfloor.c) spawns the same N children in their own sessions until their N lines are in the file, with no supervisor: median of 3.");
        book.DescribeSection(Idle, $"Same daemon, N programs RUNNING (startsecs=0), after a 1 s settle: VmRSS at the end, utime+stime of the daemon over {idleWindow.TotalSeconds:0} s, voluntary context switches summed over its threads (those alive at the end of the window).");
        book.DescribeSection(Control, $"Same daemon: wall time of a one-shot client `status` ({statusRepeats} calls), and of `stop p0000` + `start p0000` ({cycleRepeats} cycles), client start-up included.");
        book.DescribeSection(Sigterm, "Same daemon with N programs RUNNING: SIGTERM to the daemon until it has exited (it stops every program first).");
        book.DescribeSection(MassStop, "N programs RUNNING (startsecs=1 run): wall time of `ctl stop all` until it returns with all N stopped, client start-up included; divided by the C floor (bench/fixtures/fleetfloor.c: SIGTERM to each of N process groups and reap all, median of 3, measured just before). The TERM-ignoring row: 100 programs that ignore SIGTERM, stopwaitsecs=2 (ideal ≈ 2 s: all are killed together).");
    }

    internal static string Head(string text) => text.Length > 200 ? text[..200] + "…" : text.Trim();
}
