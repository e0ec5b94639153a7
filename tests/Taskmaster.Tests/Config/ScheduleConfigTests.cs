using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>cron_restart, cron and schedule_timezone: the three spellings of a pattern, its occurrences in a zone, and
/// every bad value an error at its line.</summary>
public class ScheduleConfigTests
{
    [Fact]
    public void FiveFields_SixFieldsWithSeconds_AndMacros_AreRead()
    {
        Assert.Equal("0 3 * * *", Cfg.One("[program:a]\ncommand = /bin/true\ncron_restart = 0 3 * * *\n").CronRestart!.Raw);
        Assert.Equal("*/30 * * * * *", Cfg.One("[program:a]\ncommand = /bin/true\ncron = */30 * * * * *\n").Cron!.Raw);
        Assert.Equal("@hourly", Cfg.One("[program:a]\ncommand = /bin/true\ncron = @hourly\n").Cron!.Raw);
    }

    [Fact]
    public void NextOccurrence_IsReadInTheScheduleTimeZone()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\ncron_restart = 0 3 * * *\nschedule_timezone = Europe/Paris\n");
        var after = new DateTimeOffset(2026, 12, 6, 0, 0, 0, TimeSpan.Zero);
        // 03:00 in Paris in winter (UTC+1) is 02:00 UTC.
        Assert.Equal(new DateTimeOffset(2026, 12, 6, 2, 0, 0, TimeSpan.Zero), c.CronRestart!.NextAfter(after, ScheduleKeys.ZoneOf(c)));
        var summer = new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(new DateTimeOffset(2026, 7, 1, 1, 0, 0, TimeSpan.Zero), c.CronRestart!.NextAfter(summer, ScheduleKeys.ZoneOf(c)));
    }

    [Fact]
    public void SixFields_HaveSecondsFirst_AsTheGoPort()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\ncron = 15 * * * * *\nschedule_timezone = UTC\n");
        var after = new DateTimeOffset(2026, 12, 6, 10, 0, 0, TimeSpan.Zero);
        Assert.Equal(after.AddSeconds(15), c.Cron!.NextAfter(after, ScheduleKeys.ZoneOf(c)));
    }

    [Theory]
    [InlineData("cron_restart = 0 3 * *", "has 4 fields")]
    [InlineData("cron_restart = 61 * * * *", "not a cron pattern")]
    [InlineData("cron = 0 3 * * * * *", "has 7 fields")]
    [InlineData("cron =", "must not be empty")]
    [InlineData("schedule_timezone = Mars/Olympus", "unknown time zone 'Mars/Olympus'")]
    public void BadValue_IsAnErrorOnItsLine(string line, string message)
    {
        var error = Cfg.FailsOnce($"[program:a]\ncommand = /bin/true\n{line}\n");
        Assert.Equal(3, error.Location.Line);
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void CronAndCronRestart_Together_AreAnError()
    {
        var error = Cfg.FailsOnce("[program:a]\ncommand = /bin/true\ncron_restart = 0 3 * * *\ncron = 0 4 * * *\n");
        Assert.Contains("cannot both be set", error.Message);
    }

    [Fact]
    public void ChangedSchedule_ReloadsInPlace()
    {
        Assert.All(ScheduleKeys.All, k => Assert.Equal(OnReload.InPlace, k.Reload));
    }
}
