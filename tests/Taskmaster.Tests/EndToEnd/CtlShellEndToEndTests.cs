using System.Diagnostics;
using Taskmaster.Tests.Control;
using static Taskmaster.Tests.Ctl.TmuxTerminal;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>The interactive shell on a real terminal (tmux) against a real daemon that goes away and comes back.</summary>
public sealed class CtlShellEndToEndTests
{
    /// <summary>Types <paramref name="command"/> until <paramref name="expected"/> shows (the first keys may be dropped while libedit sets up).</summary>
    private static async Task TypeUntil(string session, string command, Func<string, bool> expected)
    {
        for (var attempt = 0; ; attempt++)
        {
            await Tmux("send-keys", "-t", session, command, "Enter");
            try { await WaitForScreen(session, expected, seconds: 3); return; }
            catch (TimeoutException) when (attempt < 12) { }
        }
    }

    [RequiresFact(Requirement.Tmux, Requirement.LibEdit)]
    public async Task Shell_StaysUsableAcrossDaemonRestart_ReconnectsOnNextCommand()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:sleeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));
        var session = $"tmshell{Guid.NewGuid():N}"[..14];
        var command = $"env HOME='{daemon.Dir}' NO_COLOR=1 TERM=xterm dotnet '{ControlHost.CtlDll}' -c '{daemon.ConfigPath}'";
        await NewSession(session, command);
        try
        {
            await WaitForScreen(session, s => s.Contains("taskmaster>") && s.Contains("RUNNING"));
            await TypeUntil(session, "pid", s => s.Contains(daemon.Pid.ToString()));
            var firstPid = daemon.Pid;

            daemon.Signal(15);
            await daemon.WaitForExitAsync();
            await TypeUntil(session, "status", s => s.Contains("no such file"));

            await daemon.StartAsync();
            Assert.NotEqual(firstPid, daemon.Pid);
            await Tmux("send-keys", "-t", session, "clear", "Enter"); // "clear" without a name: usage, and a marker
            await TypeUntil(session, "pid", s => s.Contains(daemon.Pid.ToString()));
            await TypeUntil(session, "status", s => s.Split('\n').Count(l => l.Contains("RUNNING")) >= 2);
        }
        finally
        {
            await Tmux("kill-session", "-t", session);
        }
    }

    private static int Count(string screen, string linePrefix) =>
        screen.Split('\n').Count(l => l.StartsWith(linePrefix, StringComparison.Ordinal));

    /// <summary>
    /// Types the username at the last "Username:" prompt until the next password prompt shows. Typed again only
    /// when libedit dropped the keys (the prompt line is still empty): typing it twice would answer the password.
    /// </summary>
    private static async Task AnswerUsername(string session, string username, int passwordPrompts)
    {
        for (var attempt = 0; ; attempt++)
        {
            await Tmux("send-keys", "-t", session, username, "Enter");
            try { await WaitForScreen(session, s => Count(s, "Password:") == passwordPrompts, seconds: 3); return; }
            catch (TimeoutException) when (attempt < 12)
            {
                var screen = await Tmux("capture-pane", "-p", "-t", session);
                if (screen.Split('\n').Last(l => l.StartsWith("Username:", StringComparison.Ordinal)).Trim() != "Username:")
                {
                    await WaitForScreen(session, s => Count(s, "Password:") == passwordPrompts);
                    return;
                }
            }
        }
    }

    [RequiresFact(Requirement.Tmux, Requirement.LibEdit)]
    public async Task Shell_ServerRequiresCredentials_AsksForThemWithoutEchoingThePassword()
    {
        var port = CtlConnectionEndToEndTests.FreeLoopbackPort();
        await using var daemon = DaemonUnderTest.Create($$"""
            [program:sleeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0

            [inet_http_server]
            port = 127.0.0.1:{{port}}
            username = admin
            password = s3cret
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));
        var session = $"tmauth{Guid.NewGuid():N}"[..14];
        var command = $"env HOME='{daemon.Dir}' NO_COLOR=1 TERM=xterm dotnet '{ControlHost.CtlDll}' -s http://127.0.0.1:{port}";
        await NewSession(session, command);
        try
        {
            // The opening status meets the 401: supervisorctl's words, then its two prompts.
            await WaitForScreen(session, s => s.Contains("Server requires authentication") && s.Contains("Username:"));
            await AnswerUsername(session, "admin", passwordPrompts: 1);
            await Tmux("send-keys", "-t", session, "wrong", "Enter");
            await WaitForScreen(session, s => Count(s, "Username:") == 2);
            await AnswerUsername(session, "admin", passwordPrompts: 2);
            await Tmux("send-keys", "-t", session, "s3cret", "Enter");

            var screen = await WaitForScreen(session, s => s.Contains("RUNNING") && s.Contains("taskmaster>"));
            Assert.DoesNotContain("s3cret", screen);
            Assert.DoesNotContain("wrong", screen);
            // The credentials stay for the session: the next command needs no prompt.
            await TypeUntil(session, "pid", s => s.Contains(daemon.Pid.ToString()));
            Assert.Equal(2, Count(await Tmux("capture-pane", "-p", "-t", session), "Username:"));
        }
        finally
        {
            await Tmux("kill-session", "-t", session);
        }
    }
}
