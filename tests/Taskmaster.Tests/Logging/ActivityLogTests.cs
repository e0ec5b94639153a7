using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

public sealed class ActivityLogTests : IDisposable
{
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    private static FakeTimeProvider Clock()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 28, 7, 59, 12, 345, TimeSpan.Zero));
        clock.SetLocalTimeZone(TimeZoneInfo.Utc);
        return clock;
    }

    [Fact]
    public void Log_WritesSupervisordFormat_AndFlushesOnDispose()
    {
        string path = Path.Combine(_dir, "taskmasterd.log");
        var echo = new StringWriter();
        using (var provider = new ActivityLogProvider(new ActivityLogOptions { Path = path, Time = Clock(), Echo = echo }))
        {
            var logger = provider.CreateLogger("engine");
            logger.LogInformation("spawned: 'web' with pid 1234");
            logger.LogCritical("Supervisor is running as root");
            logger.LogWarning("exited: web (exit status 1; not expected)");
            logger.LogError("error line");
        }
        const string expected =
            "2026-11-28 07:59:12,345 INFO spawned: 'web' with pid 1234\n" +
            "2026-11-28 07:59:12,345 CRIT Supervisor is running as root\n" +
            "2026-11-28 07:59:12,345 WARN exited: web (exit status 1; not expected)\n" +
            "2026-11-28 07:59:12,345 ERRO error line\n";
        Assert.Equal(expected, ReadShared(path));
        Assert.Equal(expected, echo.ToString());
    }

    [Fact]
    public void Log_BelowMinLevel_IsFiltered()
    {
        string path = Path.Combine(_dir, "taskmasterd.log");
        using (var provider = new ActivityLogProvider(new ActivityLogOptions { Path = path, Time = Clock(), MinLevel = LogLevel.Warning }))
        {
            var logger = provider.CreateLogger("engine");
            Assert.False(logger.IsEnabled(LogLevel.Information));
            logger.LogDebug("debug");
            logger.LogInformation("info");
            logger.LogWarning("warn");
        }
        Assert.Equal("2026-11-28 07:59:12,345 WARN warn\n", ReadShared(path));
    }

    [Fact]
    public void Log_TraceLevel_WritesTracAndDebg()
    {
        string path = Path.Combine(_dir, "taskmasterd.log");
        using (var provider = new ActivityLogProvider(new ActivityLogOptions { Path = path, Time = Clock(), MinLevel = LogLevel.Trace }))
        {
            var logger = provider.CreateLogger("engine");
            logger.LogTrace("t");
            logger.LogDebug("d");
        }
        Assert.Equal("2026-11-28 07:59:12,345 TRAC t\n2026-11-28 07:59:12,345 DEBG d\n", ReadShared(path));
    }

    [Theory]
    [InlineData("critical", LogLevel.Critical)]
    [InlineData("error", LogLevel.Error)]
    [InlineData("warn", LogLevel.Warning)]
    [InlineData("WARNING", LogLevel.Warning)]
    [InlineData("info", LogLevel.Information)]
    [InlineData("debug", LogLevel.Debug)]
    [InlineData("trace", LogLevel.Trace)]
    [InlineData("blather", LogLevel.Trace)]
    public void LevelNames_MapToLogLevels(string name, LogLevel expected)
    {
        Assert.True(ActivityLogLevels.TryParse(name, out var level));
        Assert.Equal(expected, level);
    }

    [Fact]
    public void LevelNames_Unknown_IsRejected() => Assert.False(ActivityLogLevels.TryParse("loud", out _));

    [Fact]
    public void Rotation_KeepsBackupsOfWholeLines()
    {
        string path = Path.Combine(_dir, "taskmasterd.log");
        var problems = new StringWriter();
        using (var provider = new ActivityLogProvider(new ActivityLogOptions { Path = path, Time = Clock(), MaxBytes = 2000, Backups = 2, Echo = problems }))
        {
            var logger = provider.CreateLogger("engine");
            for (int i = 0; i < 500; i++)
                logger.LogInformation("spawned: 'web' with pid {Pid}", 1000 + i);
        }
        Assert.DoesNotContain("cannot write", problems.ToString());
        Assert.True(System.IO.File.Exists(path + ".1"));
        Assert.True(System.IO.File.Exists(path + ".2"));
        Assert.False(System.IO.File.Exists(path + ".3"));
        foreach (var file in new[] { path + ".2", path + ".1", path })
        {
            string text = ReadShared(file);
            Assert.InRange(text.Length, 1, 2000 + 100);
            Assert.All(text.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                line => Assert.Matches(@"^2026-11-28 07:59:12,345 INFO spawned: 'web' with pid \d+$", line));
        }
        Assert.EndsWith("with pid 1499\n", ReadShared(path));
    }

    [Fact]
    public async Task Reopen_AfterMoveAway_WritesToNewFile()
    {
        string path = Path.Combine(_dir, "taskmasterd.log");
        using var provider = new ActivityLogProvider(new ActivityLogOptions { Path = path, Time = Clock() });
        var logger = provider.CreateLogger("engine");
        logger.LogInformation("one");
        await WaitUntil(() => ReadShared(path).Contains("one"), "first line");
        System.IO.File.Move(path, path + ".old");
        provider.Reopen();
        logger.LogInformation("two");
        await WaitUntil(() => System.IO.File.Exists(path) && ReadShared(path).Contains("two"), "second line");
        Assert.DoesNotContain("two", ReadShared(path + ".old"));
    }
}
