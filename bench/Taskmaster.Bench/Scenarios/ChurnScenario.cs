using System.Diagnostics;
using System.Globalization;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// 50 programs that each live a random 0–500 ms, autorestart=true, startsecs=0. Every start appends
/// "start-time planned-life" to the program's own file; from those the bench counts restarts in
/// the window and derives the ideal rate (N ÷ mean planned life: a supervisor that respawned in
/// zero time). Zombies are the daemon's unreaped children after <c>stop all</c>.
/// </summary>
internal static class ChurnScenario
{
    public const string Section = "Churn";
    private const int Programs = 50;

    public static void Run(BenchContext ctx)
    {
        var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 10 : 30);
        ctx.Book.DescribeSection(Section, $"{Programs} programs (`benchchild churn`: lives a random 0–500 ms), autorestart=true, startsecs=0, {window.TotalSeconds:0} s window after a 1 s warm-up. Ideal rate = {Programs} ÷ mean planned life of the starts in the window; the respawn gap is the time between one run's planned end and the next run's start (includes the fixture's exec, ≈0.2 ms). Zombies: unreaped children of the daemon once `stop all` has returned (allowing 2 s).");
        Console.WriteLine("churn");
        ctx.ForBoth(Section, sup => ctx.WithSession(sup, "churn", dir => Enumerable.Range(0, Programs).Select(i =>
            new ProgramSpec($"c{i:00}", ctx.Options.Child("churn", Path.Combine(DaemonSession.PidsDir(dir), $"c{i:00}")))
            {
                StopWaitSecs = 2,
            }).ToList(), s =>
        {
            s.WaitPidFiles(Programs, TimeSpan.FromSeconds(60));
            Thread.Sleep(TimeSpan.FromSeconds(1));
            var t0 = PidFile.Now();
            var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
            Thread.Sleep(window);
            var t1 = PidFile.Now();
            var cpu = ProcFs.CpuSeconds(s.DaemonPid) - cpu0;

            var starts = 0;
            var lives = new List<double>();
            var gaps = new List<double>();
            foreach (var file in Directory.EnumerateFiles(DaemonSession.PidsDir(s.Dir)))
            {
                var runs = ReadRuns(file);
                for (var i = 0; i < runs.Count; i++)
                {
                    var (at, life) = runs[i];
                    if (at < t0 || at > t1) continue;
                    starts++;
                    lives.Add(life);
                    if (i > 0) gaps.Add((at - runs[i - 1].At - runs[i - 1].Life) * 1000);
                }
            }
            var seconds = t1 - t0;
            var rate = starts / seconds;
            var ideal = lives.Count > 0 ? Programs / lives.Average() : double.NaN;

            s.Ctl(TimeSpan.FromSeconds(120), "stop", "all");
            var zombies = ProcFs.ZombieChildren(s.DaemonPid);
            var settle = Stopwatch.StartNew();
            while (zombies > 0 && settle.Elapsed < TimeSpan.FromSeconds(2))
            {
                Thread.Sleep(20);
                zombies = ProcFs.ZombieChildren(s.DaemonPid);
            }

            var side = sup.Side;
            ctx.Book.Record(side, Section, "restarts", "50", "/s", rate, 1);
            ctx.Book.Record(side, Section, "share of the ideal rate", "50", "%", 100 * rate / ideal, 1, Bar.AtLeast(99, "%"));
            ctx.Book.Record(side, Section, "mean respawn gap", "50", "ms", gaps.Count > 0 ? gaps.Average() : double.NaN, 2);
            ctx.Book.Record(side, Section, "daemon CPU over the window", "50", "s", cpu, 2, Bar.RatioAtMost(0.5));
            ctx.Book.Record(side, Section, "zombies left after `stop all`", "50", "", zombies, 0, Bar.AtMost(0, ""));
        }));
    }

    private static List<(double At, double Life)> ReadRuns(string file)
    {
        var runs = new List<(double, double)>();
        foreach (var line in File.ReadLines(file))
        {
            var parts = line.Split(' ');
            if (parts.Length == 2
                && double.TryParse(parts[0].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var at)
                && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out var life))
                runs.Add((at, life));
        }
        return runs;
    }
}
