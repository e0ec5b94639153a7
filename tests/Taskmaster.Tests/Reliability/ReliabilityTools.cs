// Helpers shared by the reliability tests: reading pids out of `status`, waiting on facts with deadlines.
using System.Globalization;
using Taskmaster.Tests.EndToEnd;

namespace Taskmaster.Tests.Reliability;

internal static class ReliabilityTools
{
    /// <summary>name → pid for every RUNNING line of a `status` output.</summary>
    public static Dictionary<string, int> RunningPids(string[] statusLines) =>
        statusLines.Where(l => l.Contains(" RUNNING ", StringComparison.Ordinal) && l.Contains("pid ", StringComparison.Ordinal))
            .ToDictionary(
                l => l.Split(' ', 2)[0],
                l => int.Parse(l.Split("pid ")[1].Split(',')[0], CultureInfo.InvariantCulture));

    /// <summary>Waits until every named program is RUNNING and returns their pids.</summary>
    public static async Task<Dictionary<string, int>> WaitAllRunningAsync(DaemonUnderTest daemon, IReadOnlyCollection<string> names)
    {
        var status = await daemon.WaitForStatusAsync(lines =>
        {
            var running = RunningPids(lines);
            return names.All(running.ContainsKey);
        });
        return RunningPids(status.Lines);
    }

    /// <summary>Polls <paramref name="condition"/> until it holds; fails with <paramref name="what"/> after the deadline.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"never happened: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Live processes whose command line contains <paramref name="tag"/>.</summary>
    public static IReadOnlyList<int> Tagged(string tag) => ProcFs.ProcessesWithCommandLineContaining(tag)
        .Where(p => ProcFs.State(p) is not 'Z' and not null).ToList();
}
