namespace Taskmaster.Tests.EndToEnd;

/// <summary>A second taskmasterd is refused, with a clear message and exit 1, and the first keeps running.</summary>
public class DaemonRefusalTests
{
    private const string Sleeper = """
        [program:sleeper]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0
        """;

    [Fact]
    public async Task SecondDaemon_SameSocket_ExitsOneSayingSo_FirstUnaffected()
    {
        await using var first = DaemonUnderTest.Create(Sleeper);
        await first.StartAsync();
        var before = await first.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));

        var otherPidfile = Path.Combine(first.Dir, "second.pid");
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", first.ConfigPath, "-j", otherPidfile]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains(first.SocketPath, run.Stderr);
        Assert.False(File.Exists(otherPidfile));
        await AssertUnaffectedAsync(first, before);
    }

    [Fact]
    public async Task SecondDaemon_SamePidfile_ExitsOneSayingSo_FirstUnaffected()
    {
        await using var first = DaemonUnderTest.Create(Sleeper);
        await first.StartAsync();
        var before = await first.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));

        // Its own socket, the same pid file: only the pid file can refuse it.
        await using var second = DaemonUnderTest.Create(Sleeper);
        var config = File.ReadAllText(second.ConfigPath).Replace(second.PidfilePath, first.PidfilePath);
        File.WriteAllText(second.ConfigPath, config);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", second.ConfigPath]);

        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains($"another taskmasterd is already running with pid {first.Pid}", run.Stderr);
        Assert.False(second.CanConnect());
        await AssertUnaffectedAsync(first, before);
    }

    private static async Task AssertUnaffectedAsync(DaemonUnderTest first, Control.CtlResult before)
    {
        Assert.False(first.Process.HasExited);
        Assert.Equal(first.Pid.ToString(), File.ReadAllText(first.PidfilePath).Trim());
        var after = await first.CtlAsync("status");
        Assert.Equal(PidOf(before), PidOf(after));
        Assert.True(File.Exists(first.SocketPath));
    }

    private static string PidOf(Control.CtlResult status) =>
        status.Lines.Single(l => l.StartsWith("sleeper ")).Split("pid ")[1].Split(',')[0];
}
