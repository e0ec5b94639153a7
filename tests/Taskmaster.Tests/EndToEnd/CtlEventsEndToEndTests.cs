// taskmasterctl events with the real binaries: it follows the daemon's supervisor events live, one line per event,
// keeps only the types and names it was asked for, and leaves on Ctrl-C with exit 0.
namespace Taskmaster.Tests.EndToEnd;

public sealed class CtlEventsEndToEndTests
{
    private const string Programs = """
        [program:web]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        [program:other]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0
        """;

    private static async Task<DaemonUnderTest> StartedDaemonAsync()
    {
        var daemon = DaemonUnderTest.Create(Programs);
        try
        {
            await daemon.StartAsync();
            await daemon.WaitForStatusAsync(lines => lines.Count(l => l.Contains("RUNNING")) == 2);
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    [Fact]
    public async Task Events_FollowsTheTypesAndNamesAsked_InOrder_UntilCtrlC()
    {
        await using var daemon = await StartedDaemonAsync();
        using var events = CtlRunningProcess.Start(daemon.ConfigPath, ["events", "PROCESS_STATE", "--name", "web"]);
        await events.WaitForOutputAsync("==> Press Ctrl-C to exit <==");

        Assert.Equal(0, (await daemon.CtlAsync("restart", "other")).ExitCode);
        Assert.Equal(0, (await daemon.CtlAsync("restart", "web")).ExitCode);
        await events.WaitForOutputAsync("PROCESS_STATE_RUNNING");
        events.Signal(2);

        Assert.Equal(0, await events.WaitForExitAsync());
        var lines = events.Output.Split('\n').Where(l => l.Contains("PROCESS_STATE_")).ToList();
        Assert.Equal(["PROCESS_STATE_STOPPING", "PROCESS_STATE_STOPPED", "PROCESS_STATE_STARTING", "PROCESS_STATE_RUNNING"],
            lines.Select(l => l.Split(' ')[2]));
        Assert.All(lines, l => Assert.Contains("processname:web groupname:web", l));
        Assert.DoesNotContain("processname:other", events.Output);
    }

    [Fact]
    public async Task Events_WithAnUnknownType_IsAUsageError()
    {
        await using var daemon = await StartedDaemonAsync();

        var result = await daemon.CtlAsync("events", "PROCESS_STATE_NOPE");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("unknown event type PROCESS_STATE_NOPE", result.Stdout + result.Stderr);
    }
}
