using System.Diagnostics;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// One child floods stdout (<c>yes</c> with a 64-byte line) into a log rotated at 50 MB with 2
/// backups. Measures the bytes that land per second, the daemon's CPU, and how <c>status</c>
/// answers meanwhile; plus the machine's floor, the same writer through <c>cat</c> into a file.
/// </summary>
internal static class LogThroughputScenario
{
    public const string Section = "Log throughput";
    internal const string Line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";

    public static void Run(BenchContext ctx)
    {
        var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 5 : 10);
        ctx.Book.DescribeSection(Section, $"Program `flood` = `yes <63 chars>`, stdout_logfile_maxbytes=50MB, stdout_logfile_backups=2. After `start flood`, {window.TotalSeconds:0} s window: bytes landed in the log files (rotated generations counted), daemon utime+stime, and `status` every 200 ms. Floors: the same writer through `cat` into one file, and through `split -b 50MB` keeping the newest 3 pieces (what rotation with 2 backups does to the page cache), each over the same window; the 90% bar uses the second.");
        Console.WriteLine("log throughput: floors");
        var (catFloor, catPerCpu) = MeasureFloor(ctx, window, rotated: false);
        var (floor, splitPerCpu) = MeasureFloor(ctx, window, rotated: true);
        ctx.Book.RunNotes.Add($"Log floors over {window.TotalSeconds:0} s: `yes | cat > file` {catFloor / 1e6:F1} MB/s (one growing file: bound by disk write-back); `yes | split -b 50MB`, newest 3 pieces kept {floor / 1e6:F1} MB/s (the rotated pattern, used for the 90% bar). The copier's own cost, in C: `cat` {catPerCpu:F0} and `split` {splitPerCpu:F0} MB per CPU-second (read(2) + write(2), the work a supervisor's log pump does).");
        Console.WriteLine($"  floors: cat {catFloor / 1e6:F1} MB/s ({catPerCpu:F0} MB per CPU-s), rotated {floor / 1e6:F1} MB/s ({splitPerCpu:F0} MB per CPU-s)");

        ctx.ForBoth(Section, sup =>
        {
            var r = Flood(ctx, sup, window, extraLines: null);
            var side = sup.Side;
            ctx.Book.Record(side, Section, "bytes landed", "1", "MB/s", r.Rate / 1e6, 1, Bar.RatioAtLeast(1.0));
            ctx.Book.Record(side, Section, "share of the `cat` floor (rotated)", "1", "%", floor > 0 ? 100 * r.Rate / floor : 0, 1, Bar.AtLeast(90, "%"));
            ctx.Book.Record(side, Section, "daemon CPU over the window", "1", "s", r.Cpu, 2);
            ctx.Book.Record(side, Section, "log MB per daemon CPU-second", "1", "MB/s", r.Cpu > 0 ? r.Rate * r.Seconds / 1e6 / r.Cpu : 0, 1, Bar.RatioAtLeast(3.0));
            ctx.Book.Record(side, Section, "`status` p99 during the flood (a call every 200 ms)", "1", "ms", r.StatusP99, 1, Bar.Below(100, "ms"));
            ctx.Book.Record(side, Section, "rotations in the window", "1", "", r.Rotations, 0);
        });
    }

    /// <summary>What one flood window measured: bytes per second landed in the log files, the daemon's CPU seconds,
    /// the window's length, <c>status</c>'s p99 in ms and the rotations seen.</summary>
    internal readonly record struct FloodResult(double Rate, double Cpu, double Seconds, double StatusP99, int Rotations);

    /// <summary>One flood window under <paramref name="sup"/>: <c>start flood</c>, measure, <c>stop flood</c>.
    /// <paramref name="extraLines"/> go into the program's section (keys only one supervisor knows).</summary>
    internal static FloodResult Flood(BenchContext ctx, SupervisorUnderTest sup, TimeSpan window, string? extraLines)
    {
        FloodResult result = default;
        ctx.WithSession(sup, "flood", dir =>
        [
            new ProgramSpec("flood", $"/usr/bin/yes {Line}")
            {
                Autostart = false, StdoutLogfile = Path.Combine(dir, "logs", "flood.log"), StdoutBackups = 2, ExtraLines = extraLines,
            },
        ], s =>
        {
            var meter = new LogVolumeMeter(Path.Combine(s.Dir, "logs", "flood.log"));
            var start = s.Ctl("start", "flood");
            if (!start.Output.Contains("started", StringComparison.Ordinal)) throw new InvalidOperationException($"start flood: {FleetScenario.Head(start.Output)}");

            using var stopStatus = new CancellationTokenSource();
            var statusTimes = new List<double>();
            var statusLoop = Task.Run(() =>
            {
                while (!stopStatus.IsCancellationRequested)
                {
                    statusTimes.Add(s.Ctl("status").Elapsed.TotalMilliseconds);
                    stopStatus.Token.WaitHandle.WaitOne(200);
                }
            });

            var bytes0 = meter.Poll();
            var cpu0 = ProcFs.CpuSeconds(s.DaemonPid);
            var clock = Stopwatch.StartNew();
            long bytes1 = bytes0;
            while (clock.Elapsed < window)
            {
                bytes1 = meter.Poll();
                Thread.Sleep(5);
            }
            bytes1 = meter.Poll();
            var seconds = clock.Elapsed.TotalSeconds;
            var cpu = ProcFs.CpuSeconds(s.DaemonPid) - cpu0;
            stopStatus.Cancel();
            statusLoop.Wait();
            s.Ctl("stop", "flood");
            result = new FloodResult((bytes1 - bytes0) / seconds, cpu, seconds, Stats.Percentile(statusTimes, 99), meter.Rotations);
        });
        return result;
    }

    /// <summary>
    /// The same writer through <c>cat</c> into one growing file (what the disk sustains once the
    /// page cache must be written back), or, when <paramref name="rotated"/>, through <c>split -b
    /// 50MB</c> with the bench deleting all but the newest 3 pieces: the same file pattern as a log
    /// rotated with backups=2, whose deleted generations never reach the disk.
    /// </summary>
    /// <returns>Bytes per second landed, and MB copied per CPU-second of the copier (<c>cat</c> or <c>split</c>).</returns>
    private static (double Rate, double MbPerCpuSecond) MeasureFloor(BenchContext ctx, TimeSpan window, bool rotated)
    {
        var runId = StraySweeper.NewRunId();
        var dir = Path.Combine(ctx.Root, "floor");
        Directory.CreateDirectory(dir);
        var psi = new ProcessStartInfo("/bin/bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(rotated ? "yes \"$0\" | split -b 52428800 -a 6 - \"$1/f.\"" : "yes \"$0\" | cat > \"$1/f.log\"");
        psi.ArgumentList.Add(Line);
        psi.ArgumentList.Add(dir);
        psi.Environment[StraySweeper.ProgramVariable] = runId;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the floor writer");
        long deleted = 0;
        long Poll()
        {
            var files = Directory.GetFiles(dir).Order(StringComparer.Ordinal).ToList();
            while (files.Count > 3)
            {
                deleted += new FileInfo(files[0]).Length;
                File.Delete(files[0]);
                files.RemoveAt(0);
            }
            return deleted + files.Sum(f => Posix.Stat(f)?.Size ?? 0);
        }
        try
        {
            var warm = Stopwatch.StartNew();
            while (Poll() == 0 && !p.HasExited && warm.Elapsed < TimeSpan.FromSeconds(10)) Thread.Sleep(1);
            var copier = ProcFs.ChildNamed(p.Id, rotated ? "split" : "cat");
            var cpu0 = copier is { } c0 ? ProcFs.CpuSeconds(c0) : double.NaN;
            var b0 = Poll();
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < window) { Poll(); Thread.Sleep(5); }
            var b1 = Poll();
            var cpu = copier is { } c1 ? ProcFs.CpuSeconds(c1) - cpu0 : double.NaN;
            return ((b1 - b0) / clock.Elapsed.TotalSeconds, (b1 - b0) / 1e6 / cpu);
        }
        finally
        {
            StraySweeper.Sweep(StraySweeper.ProgramVariable, runId);
            p.WaitForExit();
            Directory.Delete(dir, recursive: true);
        }
    }
}
