using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// Issue 20's bar for <c>log_timestamps</c>: the same flood as <see cref="LogThroughputScenario"/>, Taskmaster stamping
/// every line (<c>log_timestamps = true</c>: 30 bytes before each 64-byte line), supervisord without stamps (it has
/// none). Compared on the child's bytes landed per second (stamps not counted), so the stamps must pay for themselves.
/// </summary>
internal static class StampedLogThroughputScenario
{
    public const string Section = "Log throughput, stamped";

    /// <summary>"2026-12-06T05:35:18.123+01:00 ": what <c>log_timestamps = true</c> adds to each line.</summary>
    private const int StampBytes = 30;

    public static void Run(BenchContext ctx)
    {
        var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 5 : 10);
        var lineBytes = LogThroughputScenario.Line.Length + 1;
        ctx.Book.DescribeSection(Section, $"As {LogThroughputScenario.Section}, with `log_timestamps = true` on Taskmaster's side (each {lineBytes}-byte line gets a {StampBytes}-byte stamp); supervisord cannot stamp, so its side runs without. Child bytes per second = bytes landed × {lineBytes}/({lineBytes}+stamp), so the bar compares what the program wrote.");
        Console.WriteLine("log throughput, stamped");
        ctx.ForBoth(Section, sup =>
        {
            var stamped = sup.Side == Side.Taskmaster;
            var r = LogThroughputScenario.Flood(ctx, sup, window, stamped ? "log_timestamps = true" : null);
            var childShare = stamped ? (double)lineBytes / (lineBytes + StampBytes) : 1.0;
            ctx.Book.Record(sup.Side, Section, "child bytes landed (Taskmaster stamped, supervisord not)", "1", "MB/s", r.Rate * childShare / 1e6, 1, Bar.RatioAtLeast(1.0));
            ctx.Book.Record(sup.Side, Section, "log MB per daemon CPU-second (stamps included)", "1", "MB/s", r.Cpu > 0 ? r.Rate * r.Seconds / 1e6 / r.Cpu : 0, 1);
            ctx.Book.Record(sup.Side, Section, "`status` p99 during the flood (a call every 200 ms)", "1", "ms", r.StatusP99, 1, Bar.Below(100, "ms"));
        });
    }
}
