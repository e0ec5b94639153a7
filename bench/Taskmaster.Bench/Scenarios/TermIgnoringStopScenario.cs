namespace Taskmaster.Bench.Scenarios;

/// <summary><c>stop all</c> on 100 programs that ignore SIGTERM, stopwaitsecs=2: the escalation path at scale.</summary>
internal static class TermIgnoringStopScenario
{
    public static void Run(BenchContext ctx)
    {
        const int n = 100;
        Console.WriteLine("mass stop: TERM ignored");
        ctx.ForBoth(FleetScenario.MassStop, sup => ctx.WithSession(sup, "deaf", dir => Enumerable.Range(0, n).Select(i =>
            new ProgramSpec($"d{i:0000}", ctx.Options.Child("deaf", Path.Combine(DaemonSession.PidsDir(dir), $"d{i:0000}")))
            {
                StopWaitSecs = 2,
            }).ToList(), s =>
        {
            s.WaitPidFiles(n, TimeSpan.FromSeconds(120));
            s.WaitRunning(n, TimeSpan.FromSeconds(120));
            var stop = s.Ctl(TimeSpan.FromSeconds(300), "stop", "all");
            var left = ProcFs.ProcessesWithEnvironment($"{StraySweeper.ProgramVariable}={s.RunId}").Count;
            if (left > 0) throw new InvalidOperationException($"{left} TERM-ignoring programs still alive after stop all returned: {FleetScenario.Head(stop.Output)}");
            ctx.Book.Record(sup.Side, FleetScenario.MassStop, "`stop all`, TERM ignored, stopwaitsecs=2", $"{n}", "s", stop.Elapsed.TotalSeconds, 3);
        }));
    }
}
