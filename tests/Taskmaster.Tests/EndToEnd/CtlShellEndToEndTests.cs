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

    [Fact]
    public async Task Shell_StaysUsableAcrossDaemonRestart_ReconnectsOnNextCommand()
    {
        if (!File.Exists("/usr/bin/tmux")) return;
        await using var daemon = DaemonUnderTest.Create("""
            [program:sleeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));
        var session = $"tmshell{Guid.NewGuid():N}"[..14];
        var command = $"env HOME='{daemon.Dir}' NO_COLOR=1 TERM=xterm dotnet '{ControlHost.CtlDll}' -c '{daemon.ConfigPath}'";
        await Tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);
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
}
