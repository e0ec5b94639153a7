// taskmasterctl fg with the real binaries: typed lines reach the process's stdin and its answers come back, as with
// supervisorctl fg; leaving foreground mode leaves the process running.
using Taskmaster.Tests.Control;
using static Taskmaster.Tests.Ctl.TmuxTerminal;

namespace Taskmaster.Tests.EndToEnd;

public sealed class CtlForegroundEndToEndTests
{
    private const string Programs = """
        [program:echoer]
        command = {fixtures}/stdin_echo.sh
        startsecs = 0

        [program:deaf]
        command = {fixtures}/stdin_close.sh
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

    private static async Task<string> StatusLine(DaemonUnderTest daemon, string name) =>
        (await daemon.CtlAsync("status", name)).Stdout.Trim();

    [Fact]
    public async Task Fg_ForwardsEachTypedLine_AndCtrlCLeavesTheProcessRunning()
    {
        await using var daemon = await StartedDaemonAsync();
        var before = await StatusLine(daemon, "echoer");
        using var fg = CtlRunningProcess.Start(daemon.ConfigPath, ["fg", "echoer"]);
        await fg.WaitForOutputAsync("==> Press Ctrl-C to exit <==");

        await fg.WriteLineAsync("hello");
        await fg.WaitForOutputAsync("got hello");
        await fg.WriteLineAsync("two words");
        await fg.WaitForOutputAsync("got two words");
        fg.Signal(2);

        Assert.Equal(0, await fg.WaitForExitAsync());
        Assert.EndsWith("Exiting foreground\n", fg.Output);
        var after = await StatusLine(daemon, "echoer");
        Assert.Contains("RUNNING", after);
        Assert.Equal(before.Split(',')[0], after.Split(',')[0]); // same pid: the child never saw an end of input
    }

    [Fact]
    public async Task Fg_WhenTheProcessClosedItsStdin_SaysSoAndLeavesForeground()
    {
        await using var daemon = await StartedDaemonAsync();
        using var fg = CtlRunningProcess.Start(daemon.ConfigPath, ["fg", "deaf"]);
        await fg.WaitForOutputAsync("==> Press Ctrl-C to exit <==");

        await fg.WriteLineAsync("anyone there?");

        Assert.Equal(0, await fg.WaitForExitAsync());
        Assert.Contains("ERROR: deaf has closed its stdin\nExiting foreground\n", fg.Output);
        Assert.Contains("RUNNING", await StatusLine(daemon, "deaf"));
    }

    [RequiresFact(Requirement.Tmux, Requirement.LibEdit)]
    public async Task Fg_InTheShellOnATerminal_ForwardsLines_AndCtrlCGivesTheNextCommandToTheShell()
    {
        await using var daemon = await StartedDaemonAsync();
        var session = $"tmfg{Guid.NewGuid():N}"[..14];
        var command = $"env HOME='{daemon.Dir}' NO_COLOR=1 TERM=xterm dotnet '{ControlHost.CtlDll}' -c '{daemon.ConfigPath}'";
        await NewSession(session, command);
        try
        {
            await WaitForScreen(session, s => s.Contains("taskmaster>") && s.Contains("RUNNING"));
            // The first keys may be dropped while libedit sets up: type until foreground mode shows.
            for (var attempt = 0; ; attempt++)
            {
                await Tmux("send-keys", "-t", session, "fg echoer", "Enter");
                try { await WaitForScreen(session, s => s.Contains("Press Ctrl-C to exit"), seconds: 3); break; }
                catch (TimeoutException) when (attempt < 12) { }
            }

            await Tmux("send-keys", "-t", session, "typed on a terminal", "Enter");
            await WaitForScreen(session, s => s.Contains("got typed on a terminal"));
            await Tmux("send-keys", "-t", session, "C-c");
            await WaitForScreen(session, s => s.Contains("Exiting foreground"));

            // No read of the terminal is left behind: the next line is a command for the shell again.
            await Tmux("send-keys", "-t", session, "pid echoer", "Enter");
            var pid = (await daemon.CtlAsync("pid", "echoer")).Stdout.Trim();
            await WaitForScreen(session, s => s.Split('\n').Any(l => l.Trim() == pid));
            Assert.Contains("RUNNING", await StatusLine(daemon, "echoer"));
        }
        finally
        {
            await Tmux("kill-session", "-t", session);
        }
    }
}
