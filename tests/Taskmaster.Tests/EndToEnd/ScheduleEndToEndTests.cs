using System.Text.Json;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// cron and cron_restart with real programs on patterns with seconds: the program appends to a trace file each run,
/// and the tests wait for runs (and pids) to come, never for a time.
/// </summary>
public class ScheduleEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static string[] Trace(DaemonUnderTest daemon) =>
        DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, "trace")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Cron_StartsAStoppedBatchJobOnEachOccurrence_AndTheJsonStatusShowsTheNextRun()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:batch]
            command = sh -c 'echo ran >> {dir}/trace'
            autostart = false
            autorestart = false
            startsecs = 0
            cron = * * * * * *
            schedule_timezone = UTC
            """);
        var before = DateTimeOffset.UtcNow;
        await daemon.StartAsync();
        await daemon.WaitUntilAsync(() => Trace(daemon).Length >= 2, "two scheduled runs", Long);
        Assert.Contains("schedule: starting 'batch' (cron * * * * * *)", daemon.Output);

        var json = await daemon.CtlAsync("--json", "status", "batch");
        using var doc = JsonDocument.Parse(json.Stdout);
        var info = doc.RootElement.ValueKind == JsonValueKind.Array ? doc.RootElement[0] : doc.RootElement;
        Assert.True(info.TryGetProperty("nextRun", out var nextRun) && nextRun.ValueKind == JsonValueKind.String, json.Stdout);
        // A time after the runs began (no bound on how late: the status may come long after on a loaded machine).
        Assert.True(nextRun.GetDateTimeOffset() > before, json.Stdout);
    }

    [Fact]
    public async Task CronRestart_RestartsARunningProgram_StoppedOneIsLeftAlone()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = sh -c 'echo $$ >> {dir}/trace; exec sleep 3600'
            startsecs = 0
            cron_restart = */2 * * * * *

            [program:idle]
            command = sh -c 'echo idle >> {dir}/idle; exec sleep 3600'
            autostart = false
            cron_restart = * * * * * *
            """);
        await daemon.StartAsync();
        await daemon.WaitUntilAsync(() => Trace(daemon).Length >= 2, "a scheduled restart", Long);
        var pids = Trace(daemon);
        Assert.NotEqual(pids[0], pids[1]);
        Assert.Contains("schedule: restarting 'web' (cron_restart */2 * * * * *)", daemon.Output);
        await daemon.WaitForOutputAsync("schedule: 'idle' left alone (cron_restart * * * * * *): it is STOPPED");
        Assert.False(File.Exists(Path.Combine(daemon.Dir, "idle")));
    }

    [Fact]
    public async Task BadPattern_IsRefusedAtStart_WithItsLocation_AndNothingRuns()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:ok]
            command = sh -c 'echo ran >> {dir}/trace; exec sleep 3600'

            [program:batch]
            command = /bin/true
            cron = 0 25 * * *
            """);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath]);
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains($"{daemon.ConfigPath}:", run.Stderr);
        Assert.Contains("[program:batch] cron:", run.Stderr);
        Assert.Contains("not a cron pattern", run.Stderr);
        Assert.Empty(Trace(daemon));
    }
}
