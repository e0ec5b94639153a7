// log_timestamps with real processes: both streams stamped (or one turned off), a line written in two parts stamped
// once, PM2's spelling and day.js format read as ours, `tail` showing the stamped file, `tail --since` picking lines by
// their stamps, and a bad format refused at its column with nothing started.
using System.Globalization;
using System.Text.RegularExpressions;

namespace Taskmaster.Tests.EndToEnd;

public partial class LogTimestampEndToEndTests
{
    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (?<line>.*)$")]
    private static partial Regex UtcStamped();

    [GeneratedRegex(@"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} [+-]\d\d:\d\d (?<line>.*)$")]
    private static partial Regex DayJsStamped();

    [Fact]
    public async Task BothStreams_AreStampedPerLine_APartialLineOnce_AndAStreamMayTurnItOff()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:both]
            command = {fixtures}/stamped_output.sh
            startsecs = 0
            log_timestamps = utc
            stdout_logfile = {dir}/both.out
            stderr_logfile = {dir}/both.err

            [program:pm2]
            command = {fixtures}/stamped_output.sh
            startsecs = 0
            time = true
            log_date_format = YYYY-MM-DD HH:mm:ss.SSS Z
            stderr_log_timestamps = false
            stdout_logfile = {dir}/pm2.out
            stderr_logfile = {dir}/pm2.err
            """);
        await daemon.StartAsync();
        var both = Path.Combine(daemon.Dir, "both.out");
        var pm2 = Path.Combine(daemon.Dir, "pm2.out");
        await daemon.WaitUntilAsync(() => EndsWithDone(both) && EndsWithDone(pm2), "both programs' 'done' lines");

        Assert.Equal(["out one", "out two", "half and rest", "done"], Lines(both, UtcStamped()));
        Assert.Equal(["err one"], Lines(Path.Combine(daemon.Dir, "both.err"), UtcStamped()));
        Assert.Equal(["out one", "out two", "half and rest", "done"], Lines(pm2, DayJsStamped()));
        Assert.Equal("err one\n", File.ReadAllText(Path.Combine(daemon.Dir, "pm2.err")));

        // tail reads the file: the stamps are there.
        var tail = await daemon.CtlAsync("tail", "both");
        Assert.Equal(["out one", "out two", "half and rest", "done"], tail.Lines.Select(l => UtcStamped().Match(l).Groups["line"].Value));
    }

    [Fact]
    public async Task TailSince_PrintsTheLinesFromTheFirstStampedAtOrAfterTheTime()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:tick]
            command = {fixtures}/tick_every_50ms.sh
            startsecs = 0
            log_timestamps = true
            stdout_logfile = {dir}/tick.log
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "tick.log");
        await daemon.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("tick 12 "), "twelve ticks");
        await daemon.CtlAsync("stop", "tick");
        var lines = File.ReadAllLines(log);
        // A line whose stamp is later than the one before it, so the cut falls exactly there.
        var cut = Enumerable.Range(5, lines.Length - 5).First(i => Stamp(lines[i]) > Stamp(lines[i - 1]));
        var since = lines[cut][..lines[cut].IndexOf(' ')];

        var run = await daemon.CtlAsync("tail", "--since", since, "tick");
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(lines[cut..], run.Lines);

        var none = await daemon.CtlAsync("tail", "--since", "2999-01-01T00:00:00Z", "tick");
        Assert.DoesNotContain(none.Lines, l => l.Length > 0);
        var all = await daemon.CtlAsync("tail", "--since", "1h", "tick", "stdout");
        Assert.Equal(lines, all.Lines);
        var bad = await daemon.CtlAsync("tail", "--since", "yesterday-ish", "tick");
        Assert.Equal(2, bad.ExitCode);
    }

    [Fact]
    public async Task BadFormat_IsRefusedAtItsColumn_NothingStarts()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:good]
            command = {fixtures}/stamped_output.sh
            stdout_logfile = {dir}/good.out

            [program:bad]
            command = {fixtures}/stamped_output.sh
            log_timestamps = %%H:%%M:%%Q
            stdout_log_timestamps = YYYY-MM-DD hh:mm:ss.SSS Q
            """);
        var line = ChildSetupKeysSupport.LineOf(daemon.ConfigPath, "log_timestamps = %%H");
        var stderr = await ChildSetupKeysSupport.StartIsRefusedAsync(daemon);
        // After the %% expansion (supervisord's rule: a literal % is written %%) the error points at the value's start.
        Assert.Contains($"{daemon.ConfigPath}:{line}:18: [program:bad] log_timestamps: unknown field %Q", stderr);
        Assert.Contains($"{daemon.ConfigPath}:{line + 1}:49: [program:bad] stdout_log_timestamps: 'Q' is not a field", stderr);
        Assert.False(File.Exists(Path.Combine(daemon.Dir, "good.out")), "a program started from a refused file");
    }

    private static bool EndsWithDone(string path) => File.Exists(path) && File.ReadAllText(path).EndsWith(" done\n", StringComparison.Ordinal);

    /// <summary>The file's lines without their stamps; every line must carry one.</summary>
    private static string[] Lines(string path, Regex stamped) =>
        [.. File.ReadAllLines(path).Select(l => stamped.Match(l) is { Success: true } m ? m.Groups["line"].Value : $"UNSTAMPED: {l}")];

    private static DateTimeOffset Stamp(string line) =>
        DateTimeOffset.Parse(line[..line.IndexOf(' ')], CultureInfo.InvariantCulture);
}
