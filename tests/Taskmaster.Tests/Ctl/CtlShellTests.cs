using System.Diagnostics;
using Taskmaster.Tests.Control;
using static Taskmaster.Tests.Ctl.TmuxTerminal;

namespace Taskmaster.Tests.Ctl;

/// <summary>
/// The interactive shell on a real pseudo-terminal (tmux): libedit completion of a program name, history recalled
/// with the up arrow after restarting the shell, unknown syntax, and the reload confirmation.
/// </summary>
public sealed class CtlShellTests
{
    private static async Task StartShell(string session, ControlHost host)
    {
        var command = $"env HOME='{host.Dir}' NO_COLOR=1 TERM=xterm dotnet '{ControlHost.CtlDll}' -s '{host.Url}'";
        await NewSession(session, command);
        await WaitForScreen(session, s => s.Contains("taskmaster>"));
        // Keys typed while the line editor is still setting up the terminal can be dropped; a first command
        // that is echoed back proves the editor is reading before the real checks start.
        for (var attempt = 0; ; attempt++)
        {
            await Tmux("send-keys", "-t", session, "version", "Enter");
            try
            {
                await WaitForScreen(session, s => s.Contains("9.8.7"), seconds: 3);
                return;
            }
            catch (TimeoutException) when (attempt < 12) { }
        }
    }

    [RequiresFact(Requirement.Tmux, Requirement.LibEdit)]
    public async Task Shell_CompletesProgramName_AndRecallsHistoryAfterRestart()
    {
        await using var host = await ControlHost.StartAsync();
        var session = $"tmctl{Guid.NewGuid():N}"[..14];
        try
        {
            await StartShell(session, host);
            var first = await WaitForScreen(session, s => s.Contains("taskmaster>"));
            Assert.Contains("pid 1234, uptime 0:01:02", first); // status is printed first

            await Tmux("send-keys", "-t", session, "status we", "Tab");
            await WaitForScreen(session, s => s.Contains("taskmaster> status web"));
            await Tmux("send-keys", "-t", session, "Enter");
            await Tmux("send-keys", "-t", session, "frob", "Enter");
            await WaitForScreen(session, s => s.Contains("*** Unknown syntax: frob"));
            await Tmux("send-keys", "-t", session, "reload", "Enter");
            await WaitForScreen(session, s => s.Contains("Really restart the remote taskmasterd process y/N?"));
            await Tmux("send-keys", "-t", session, "n", "Enter");
            await Tmux("send-keys", "-t", session, "quit", "Enter");
            await CtlCommandTests.WaitUntil(() => Tmux("has-session", "-t", session).ContinueWith(_ => false).Result
                || !HasSession(session));
            Assert.DoesNotContain("reload", host.Fake.Calls);

            await StartShell(session, host);
            await Tmux("send-keys", "-t", session, "C-l"); // clear the screen so only the recalled line matches
            // History: "version" (this run's readiness check), then "quit" typed in the previous run.
            await Tmux("send-keys", "-t", session, "Up", "Up");
            await WaitForScreen(session, s => s.TrimEnd().EndsWith("taskmaster> quit", StringComparison.Ordinal));
        }
        finally
        {
            await Tmux("kill-session", "-t", session);
        }
    }

    private static bool HasSession(string session)
    {
        using var p = Process.Start(new ProcessStartInfo("tmux", ["has-session", "-t", session]) { RedirectStandardError = true })!;
        p.WaitForExit();
        return p.ExitCode == 0;
    }
}
