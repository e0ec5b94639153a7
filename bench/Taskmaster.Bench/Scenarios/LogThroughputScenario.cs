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
    private const string Line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";

    public static void Run(BenchContext ctx)
    {
        var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 5 : 10);
        ctx.Book.DescribeSection(Section, $"Program `flood` = `yes <63 chars>`, stdout_logfile_maxbytes=50MB, stdout_logfile_backups=2. After `start flood`, {window.TotalSeconds:0} s window: bytes landed in the log files (rotated generations counted), daemon utime+stime, and `status` every 200 ms. Floor: `yes <same line> | cat > file` over the same window.");
        Console.WriteLine("log throughput: floor");
        var floor = MeasureFloor(ctx, window);
        ctx.Book.RunNotes.Add($"Log floor (`yes | cat > file`, {window.TotalSeconds:0} s): {floor / 1e6:F1} MB/s.");
        Console.WriteLine($"  floor: {floor / 1e6:F1} MB/s");

        ctx.ForBoth(Section, sup => ctx.WithSession(sup, "flood", dir =>
        [
            new ProgramSpec("flood", $"/usr/bin/yes {Line}")
            {
                Autostart = false, StdoutLogfile = Path.Combine(dir, "logs", "flood.log"), StdoutBackups = 2,
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

            var rate = (bytes1 - bytes0) / seconds;
            var side = sup.Side;
            ctx.Book.Record(side, Section, "bytes landed", "1", "MB/s", rate / 1e6, 1, Bar.RatioAtLeast(1.0));
            ctx.Book.Record(side, Section, "share of the `cat` floor", "1", "%", floor > 0 ? 100 * rate / floor : 0, 1, Bar.AtLeast(90, "%"));
            ctx.Book.Record(side, Section, "daemon CPU over the window", "1", "s", cpu, 2);
            ctx.Book.Record(side, Section, "log MB per daemon CPU-second", "1", "MB/s", cpu > 0 ? rate * seconds / 1e6 / cpu : 0, 1, Bar.RatioAtLeast(3.0));
            ctx.Book.Record(side, Section, $"`status` p99 during the flood ({statusTimes.Count} calls)", "1", "ms", Stats.Percentile(statusTimes, 99), 1, Bar.Below(100, "ms"));
            ctx.Book.Record(side, Section, "rotations in the window", "1", "", meter.Rotations, 0);
        }));
    }

    /// <summary>The same writer through `cat` into a plain file: what this disk and kernel allow.</summary>
    private static double MeasureFloor(BenchContext ctx, TimeSpan window)
    {
        var runId = Guid.NewGuid().ToString("N");
        var file = Path.Combine(ctx.Root, "floor.log");
        var psi = new ProcessStartInfo("/bin/bash") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("yes \"$0\" | cat > \"$1\"");
        psi.ArgumentList.Add(Line);
        psi.ArgumentList.Add(file);
        psi.Environment[StraySweeper.ProgramVariable] = runId;
        using var p = Process.Start(psi) ?? throw new InvalidOperationException("cannot start the floor writer");
        try
        {
            var meter = new LogVolumeMeter(file);
            while (meter.Poll() == 0 && !p.HasExited) Thread.Sleep(1);
            var b0 = meter.Poll();
            var clock = Stopwatch.StartNew();
            Thread.Sleep(window);
            var b1 = meter.Poll();
            return (b1 - b0) / clock.Elapsed.TotalSeconds;
        }
        finally
        {
            StraySweeper.Sweep(StraySweeper.ProgramVariable, runId);
            p.WaitForExit();
            File.Delete(file);
        }
    }
}
