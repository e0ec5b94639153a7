using System.Diagnostics;

namespace Taskmaster.Tests.Security;

/// <summary>Runs a command as another local user (nobody), the attacker of issue 27, through <c>setpriv</c>.</summary>
internal static class OtherUser
{
    public const uint Uid = 65534;

    /// <summary>Runs <paramref name="argv"/> as uid/gid 65534 without supplementary groups; its exit code and output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] argv)
    {
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", .. argv])
            psi.ArgumentList.Add(arg);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await p.WaitForExitAsync(timeout.Token);
        return (p.ExitCode, await stdout + await stderr);
    }

    /// <summary>Runs a shell command line as the other user; fails the test when it fails.</summary>
    public static async Task ShAsync(string script)
    {
        var (code, output) = await RunAsync("/bin/sh", "-c", script);
        Assert.True(code == 0, $"as uid {Uid}: {script}: exit {code}: {output}");
    }
}
