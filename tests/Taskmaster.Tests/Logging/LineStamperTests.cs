using Taskmaster.Config;
using Taskmaster.Logging;

namespace Taskmaster.Tests.Logging;

/// <summary>
/// <see cref="LineStamper"/> alone, with a fixed clock: a stamp at each line start and only there (a line written in
/// parts gets one), every field rendered as strftime writes it, and a real file receiving one write per chunk.
/// </summary>
public sealed class LineStamperTests
{
    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = now;
        public override DateTimeOffset GetUtcNow() => Now;
    }

    private static readonly DateTimeOffset At = new(2026, 3, 7, 4, 5, 6, 789, TimeSpan.Zero);

    private static LogStampFormat Format(string text)
    {
        Assert.True(LogStampFormat.TryParse(text, out var f, out var e), e.Message);
        return f!;
    }

    private static string Stamp(LineStamper stamper, string data)
    {
        var bytes = System.Text.Encoding.UTF8.GetBytes(data);
        var stamp = stamper.Current().ToArray();
        var output = new byte[bytes.Length * (stamp.Length + 1) + stamp.Length];
        var n = stamper.Stamp(bytes, stamp, output);
        return System.Text.Encoding.UTF8.GetString(output, 0, n);
    }

    [Fact]
    public void EachLineStart_GetsOneStamp_PartialLinesAcrossWrites_GetNoSecond()
    {
        var stamper = new LineStamper(Format("utc"), new FixedClock(At));
        const string s = "2026-03-07T04:05:06.789Z ";
        Assert.Equal($"{s}a\n{s}b\n{s}par", Stamp(stamper, "a\nb\npar"));
        Assert.Equal("tial\n", Stamp(stamper, "tial\n"));
        Assert.Equal($"{s}\n{s}\n", Stamp(stamper, "\n\n"));
        Assert.Equal($"{s}x", Stamp(stamper, "x"));
        Assert.Equal("", Stamp(stamper, ""));
        Assert.Equal("\n", Stamp(stamper, "\n"));
    }

    [Theory]
    [InlineData("utc", "2026-03-07T04:05:06.789Z ")]
    [InlineData("!%F %T.%L %z", "2026-03-07 04:05:06.789 +0000 ")]
    [InlineData("!%y%m%d %I:%M %p %j %a %b %e|%f|%s %%", "260307 04:05 AM 066 Sat Mar  7|789000|1772856306 % ")]
    [InlineData("!DD/MMM/YYYY:HH:mm:ss ZZ", "07/Mar/2026:04:05:06 +0000 ")]
    public void Fields_RenderAsStrftimeWritesThem(string format, string expected)
    {
        var stamper = new LineStamper(Format(format), new FixedClock(At));
        Assert.Equal(expected, System.Text.Encoding.UTF8.GetString(stamper.Current()));
    }

    [Fact]
    public void LocalTime_CarriesTheOffset()
    {
        var stamper = new LineStamper(Format("true"), new FixedClock(At));
        var text = System.Text.Encoding.UTF8.GetString(stamper.Current());
        var parsed = DateTimeOffset.Parse(text.Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(At, parsed);
        Assert.Equal(TimeZoneInfo.Local.GetUtcOffset(At.UtcDateTime), parsed.Offset);
    }

    [Fact]
    public void TheStamp_FollowsTheClock_ToTheMillisecond()
    {
        var clock = new FixedClock(At);
        var stamper = new LineStamper(Format("!%T.%L"), clock);
        Assert.Equal("04:05:06.789 ", System.Text.Encoding.UTF8.GetString(stamper.Current()));
        clock.Now = At.AddMilliseconds(1);
        Assert.Equal("04:05:06.790 ", System.Text.Encoding.UTF8.GetString(stamper.Current()));
    }

    [Fact]
    public void Write_PutsStampedLinesInTheFile_AsOneWritePerChunk()
    {
        var dir = LogTestSupport.NewTempDir();
        try
        {
            var path = Path.Combine(dir, "out.log");
            using var file = new RotatingLogFile(path, 0, 0, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance, new LogWriteSignal());
            var stamper = new LineStamper(Format("!%T"), new FixedClock(At));
            stamper.Write(file, "one\ntw"u8);
            stamper.Write(file, "o\nthree\n"u8);
            Assert.Equal("04:05:06 one\n04:05:06 two\n04:05:06 three\n", File.ReadAllText(path));
        }
        finally
        {
            LogTestSupport.DeleteDir(dir);
        }
    }
}
