namespace Taskmaster.Tests.EndToEnd;

/// <summary>Child and activity log files through the real daemon: reopen on USR2, rotation, completeness, redirect_stderr.</summary>
public class DaemonLogFileTests
{
    [Fact]
    public async Task Usr2_AfterLogsMovedAway_ChildAndActivityLinesLandInNewFilesAtConfiguredPaths()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:ticker]
            command = {fixtures}/tick_every_100ms.sh
            startsecs = 0
            stdout_logfile = {dir}/ticker.log
            """);
        await daemon.StartAsync();
        var childLog = Path.Combine(daemon.Dir, "ticker.log");
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(childLog).Contains("tick 1\n"), "ticks in the child log");

        File.Move(childLog, childLog + ".moved");
        File.Move(daemon.LogfilePath, daemon.LogfilePath + ".moved");
        daemon.Signal(12); // SIGUSR2

        // New files at the configured paths, fed with the child's next lines and the daemon's next events.
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(childLog).Contains("tick"), "a new child log with ticks");
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath).Contains("reopened every log file"),
            "the reopen line in a new activity log");
        var moved = File.ReadAllText(childLog + ".moved");
        var fresh = File.ReadAllText(childLog);
        Assert.StartsWith("tick ", fresh);
        // The child's numbering continues across the two files: no line lost, none written twice.
        var lastMoved = Number(moved.TrimEnd('\n').Split('\n')[^1]);
        var firstFresh = Number(fresh.Split('\n')[0]);
        Assert.Equal(lastMoved + 1, firstFresh);
        Assert.Contains("received SIGUSR2", File.ReadAllText(daemon.LogfilePath + ".moved"));

        var stop = await daemon.CtlAsync("stop", "ticker");
        Assert.True(stop.ExitCode == 0, stop.ToString());
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath).Contains("stopped: ticker"),
            "the stop in the new activity log");
    }

    [Fact]
    public async Task ChildLog_RotatesAtMaxbytes_KeepsTwoBackups()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:flood]
            command = {fixtures}/flood.sh 300
            startsecs = 0
            autorestart = false
            stdout_logfile = {dir}/flood.log
            stdout_logfile_maxbytes = 4KB
            stdout_logfile_backups = 2
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "flood.log");
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("flood ") && l.Contains("EXITED")));
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(log).EndsWith("end\n"), "the last line in the log");

        Assert.True(File.Exists(log + ".1"));
        Assert.True(File.Exists(log + ".2"));
        Assert.False(File.Exists(log + ".3"), "more than stdout_logfile_backups files kept");
        foreach (var file in new[] { log, log + ".1", log + ".2" })
            Assert.InRange(new FileInfo(file).Length, 1, 4096);
        // Oldest to newest, the kept files are one unbroken run of lines ending with the last one.
        var lines = (File.ReadAllText(log + ".2") + File.ReadAllText(log + ".1") + File.ReadAllText(log))
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("end", lines[^1]);
        var numbers = lines[..^1].Select(Number).ToList();
        Assert.Equal(299, numbers[^1]);
        Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
    }

    [Fact]
    public async Task ChildWritingTenThousandLinesThenExiting_HasEveryLineInItsLogInOrder()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:flood]
            command = {fixtures}/flood.sh 10000
            startsecs = 0
            autorestart = false
            stdout_logfile = {dir}/flood.log
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "flood.log");
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("flood ") && l.Contains("EXITED")));
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(log).EndsWith("end\n"), "the last line in the log");

        var lines = File.ReadAllText(log).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(10_001, lines.Length);
        Assert.Equal(Enumerable.Range(0, 10_000), lines[..^1].Select(Number));
        Assert.Equal("end", lines[^1]);
    }

    [Fact]
    public async Task RedirectStderr_InterleavesBothStreamsInTheStdoutLogInWriteOrder()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:both]
            command = {fixtures}/alternate_stdout_stderr.sh 200
            startsecs = 0
            autorestart = false
            redirect_stderr = true
            stdout_logfile = {dir}/both.log
            stderr_logfile = {dir}/both-err.log
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "both.log");
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("both ") && l.Contains("EXITED")));
        await daemon.WaitUntilAsync(() => DaemonUnderTest.ReadOrEmpty(log).Contains("err 199\n"), "the last stderr line");

        var expected = Enumerable.Range(0, 200).SelectMany(i => new[] { $"out {i}", $"err {i}" });
        Assert.Equal(expected, File.ReadAllText(log).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal("", DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, "both-err.log")));
    }

    /// <summary>The number in "tick 12" or "line 12 xxx".</summary>
    private static int Number(string line) => int.Parse(line.Split(' ')[1]);
}
