// Helpers for the end-to-end reload tests: status read as data (text for uptime, --json for exact pids and
// start times), rewriting the config in place, and /proc scans for the fixture processes of one daemon.
using System.Text.Json;
using Taskmaster.Control;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>Reload-specific views over a <see cref="DaemonUnderTest"/>.</summary>
internal static class ReloadHarness
{
    /// <summary>A program that writes its pid under {dir}/NAME and idles: the unit every reload test changes or leaves alone.</summary>
    public static string Idle(string name, string extra = "") => $"""

        [program:{name}]
        command = {"{fixtures}"}/idle_until_signalled.sh {"{dir}"}/{name}
        startsecs = 0
        {extra}

        """;

    /// <summary>`status --json`, by process name (group:name when the group differs).</summary>
    public static async Task<Dictionary<string, ProcessInfo>> ProcessesAsync(this DaemonUnderTest daemon)
    {
        var result = await daemon.CtlAsync("--json", "status");
        var list = JsonSerializer.Deserialize(result.Stdout, ControlJsonContext.Default.IReadOnlyListProcessInfo)
            ?? throw new InvalidOperationException($"status --json printed nothing:\n{result}");
        return list.ToDictionary(p => p.FullName, StringComparer.Ordinal);
    }

    /// <summary>Polls `status --json` until <paramref name="condition"/> holds; fails with the last answer.</summary>
    public static async Task<Dictionary<string, ProcessInfo>> WaitForProcessesAsync(this DaemonUnderTest daemon,
        Func<Dictionary<string, ProcessInfo>, bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        Dictionary<string, ProcessInfo> last;
        do
        {
            last = await daemon.ProcessesAsync();
            if (condition(last)) return last;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        var shown = string.Join("\n", last.Values.Select(p => $"{p.FullName} {p.State} pid={p.Pid}"));
        throw new TimeoutException($"status never matched; last:\n{shown}\ndaemon output:\n{daemon.Output}");
    }

    /// <summary>Waits until every named process is RUNNING and returns the processes.</summary>
    public static Task<Dictionary<string, ProcessInfo>> WaitForRunningAsync(this DaemonUnderTest daemon, params string[] names) =>
        daemon.WaitForProcessesAsync(ps => names.All(n => ps.TryGetValue(n, out var p) && p.State == "RUNNING"));

    /// <summary>The uptime a `status` line shows for <paramref name="name"/> ("pid 12, uptime 0:01:02").</summary>
    public static TimeSpan UptimeOf(CtlResult status, string name)
    {
        var line = status.Lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal));
        var text = line.Split("uptime ")[1].Trim();
        var parts = text.Split(':').Select(int.Parse).ToArray();
        return new TimeSpan(parts[0], parts[1], parts[2]);
    }

    /// <summary>Live (non-zombie) processes whose command line names <paramref name="fixture"/> and this daemon's
    /// directory (the tests tag each instance with a path under it).</summary>
    public static IReadOnlyList<int> FixtureProcesses(this DaemonUnderTest daemon, string fixture) =>
        ProcFs.AllPids()
            .Where(p => ProcFs.State(p) is not null and not 'Z')
            .Where(p => ProcFs.CommandLine(p) is var cmd && cmd.Contains(fixture, StringComparison.Ordinal)
                        && cmd.Contains(daemon.Dir, StringComparison.Ordinal))
            .ToList();

    /// <summary>Replaces <paramref name="from"/> with <paramref name="to"/> in the config file (once, must exist).</summary>
    public static void EditConfig(this DaemonUnderTest daemon, string from, string to)
    {
        var text = File.ReadAllText(daemon.ConfigPath);
        var expandedFrom = daemon.Expand(from);
        if (!text.Contains(expandedFrom, StringComparison.Ordinal))
            throw new InvalidOperationException($"'{expandedFrom}' is not in the config:\n{text}");
        File.WriteAllText(daemon.ConfigPath, text.Replace(expandedFrom, daemon.Expand(to), StringComparison.Ordinal));
    }

    /// <summary>The activity log file's lines so far (the log file, not stdout: it is what an operator greps).</summary>
    public static string[] ActivityLog(this DaemonUnderTest daemon) =>
        File.Exists(daemon.LogfilePath) ? File.ReadAllLines(daemon.LogfilePath) : [];

    /// <summary>Waits until the activity log (stdout echo) has a line containing every one of <paramref name="parts"/>.</summary>
    public static async Task<string> WaitForLineAsync(this DaemonUnderTest daemon, params string[] parts)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var line = daemon.Output.Split('\n').FirstOrDefault(l => parts.All(p => l.Contains(p, StringComparison.Ordinal)));
            if (line is not null) return line;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"no line with {string.Join(" + ", parts)}:\n{daemon.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Asserts a taskmasterctl run's exit code and exact output lines, showing the whole run on failure.</summary>
    public static void Expect(CtlResult result, int exitCode, params string[] lines)
    {
        Assert.True(result.ExitCode == exitCode && result.Lines.SequenceEqual(lines),
            $"expected exit {exitCode} with [{string.Join(" | ", lines)}]; got {result}");
    }

    /// <summary>How many lines of the daemon's output contain <paramref name="text"/>.</summary>
    public static int CountLines(this DaemonUnderTest daemon, string text) =>
        daemon.Output.Split('\n').Count(l => l.Contains(text, StringComparison.Ordinal));
}
