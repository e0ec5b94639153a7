using System.Diagnostics;

namespace Taskmaster.Tests.Ctl;

/// <summary>Drives a program on a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.</summary>
internal static class TmuxTerminal
{
    public static async Task<string> Tmux(params string[] args) => (await RunTmux(args)).Output;

    private static async Task<(string Output, int ExitCode)> RunTmux(string[] args)
    {
        // stdin closed: a tmux client whose stdin is some inherited pipe may hold on to it.
        using var p = Process.Start(new ProcessStartInfo("tmux", args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        p.StandardInput.Close();
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (output, p.ExitCode);
    }

    /// <summary>
    /// Runs <paramref name="command"/> in a new detached 160x50 session. Tests in parallel classes may start the first
    /// tmux server at the same moment, and one of them can lose its session to that race (an empty screen ever
    /// after): check that the session exists, and start it again if not.
    /// </summary>
    public static async Task NewSession(string session, string command)
    {
        for (var attempt = 1; ; attempt++)
        {
            await Tmux("new-session", "-d", "-s", session, "-x", "160", "-y", "50", command);
            if (await HasSession(session)) return;
            if (attempt == 5) throw new InvalidOperationException($"tmux never kept session {session} running `{command}` (did the program exit at once?)");
            await Task.Delay(200);
        }
    }

    private static async Task<bool> HasSession(string session) => (await RunTmux(["has-session", "-t", session])).ExitCode == 0;

    public static async Task<string> WaitForScreen(string session, Func<string, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        string screen;
        while (!condition(screen = await Tmux("capture-pane", "-p", "-t", session)))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"screen never matched (session {(await HasSession(session) ? "alive" : "gone")}):\n{screen}");
            await Task.Delay(100);
        }
        return screen;
    }
}
