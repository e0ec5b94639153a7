using System.Diagnostics;

namespace Taskmaster.Tests.Ctl;

/// <summary>Drives a program on a real terminal: tmux runs it, send-keys types, capture-pane reads the screen.</summary>
internal static class TmuxTerminal
{
    public static async Task<string> Tmux(params string[] args)
    {
        // stdin closed: a tmux client whose stdin is some inherited pipe may hold on to it.
        using var p = Process.Start(new ProcessStartInfo("tmux", args) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true })!;
        p.StandardInput.Close();
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return output;
    }

    public static async Task<string> WaitForScreen(string session, Func<string, bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        string screen;
        while (!condition(screen = await Tmux("capture-pane", "-p", "-t", session)))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"screen never matched:\n{screen}");
            await Task.Delay(100);
        }
        return screen;
    }
}
