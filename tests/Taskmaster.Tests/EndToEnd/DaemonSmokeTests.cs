namespace Taskmaster.Tests.EndToEnd;

public class DaemonSmokeTests
{
    [Fact]
    public async Task Daemon_StartsProgram_StatusShowsRunning_TermStopsItAndExitsZero()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:sleeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));
        var pid = int.Parse(status.Lines.Single().Split("pid ")[1].Split(',')[0]);
        Assert.True(ProcFs.IsAlive(pid));

        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.Empty(ProcFs.GroupMembers(pid));
        Assert.False(File.Exists(daemon.PidfilePath));
    }
}
