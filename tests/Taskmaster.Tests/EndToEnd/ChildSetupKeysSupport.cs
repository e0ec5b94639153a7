namespace Taskmaster.Tests.EndToEnd;

/// <summary>Helpers shared by the end-to-end tests of issue 20's env_file, rlimit_* and log_timestamps keys.</summary>
internal static class ChildSetupKeysSupport
{
    /// <summary>The 1-based line of <paramref name="path"/> that holds <paramref name="text"/> (it must, once).</summary>
    public static int LineOf(string path, string text) =>
        Array.FindIndex(File.ReadAllLines(path), l => l.Contains(text, StringComparison.Ordinal)) + 1 is var n and > 0
            ? n
            : throw new InvalidOperationException($"'{text}' is not in {path}");

    /// <summary>Waits for report_env_and_limits.sh's file and returns its lines.</summary>
    public static async Task<string[]> ReportAsync(DaemonUnderTest daemon, string name)
    {
        var path = Path.Combine(daemon.Dir, name);
        await daemon.WaitUntilAsync(() => File.Exists(path), $"{path} from the child");
        return File.ReadAllLines(path);
    }

    /// <summary>Runs <c>taskmasterd --check</c> on the daemon's config; it must fail (exit 2). Returns its stderr's headlines.</summary>
    public static async Task<string[]> CheckFailsAsync(DaemonUnderTest daemon)
    {
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", daemon.ConfigPath]);
        Assert.True(run.ExitCode == 2, run.ToString());
        return [.. run.Stderr.Split('\n').Where(l => l.StartsWith('/'))];
    }

    /// <summary>Starts the daemon in the foreground on a config it must refuse: exit 2, before anything runs.</summary>
    public static async Task<string> StartIsRefusedAsync(DaemonUnderTest daemon)
    {
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.False(File.Exists(daemon.SocketPath), "a refused daemon served its socket");
        return run.Stderr;
    }
}
