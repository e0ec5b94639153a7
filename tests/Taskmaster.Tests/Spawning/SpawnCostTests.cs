using System.Diagnostics;
using Taskmaster.Posix;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Xunit.Abstractions;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Spawning;

/// <summary>Measures spawn cost and kill→reaped latency (printed); asserts only generous bounds.
/// Set TASKMASTER_SPAWN_BENCH=1000 for the full measurement.</summary>
public sealed class SpawnCostTests(ITestOutputHelper output)
{
    private static int Count => int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_SPAWN_BENCH"), out var n) ? n : 100;

    [Fact]
    public async Task Spawn_TrueManyTimes_CostAndKillToReapLatency()
    {
        ChildExits.EnsureWatching();
        using var spawner = new PosixSpawner();
        var request = Request(["/bin/true"], stdout: OutputRouting.Pipe, stderr: OutputRouting.SameAsStdout);

        var pids = new List<int>(Count);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++)
        {
            var child = Started(spawner.Spawn(request));
            child.StdoutPipe?.Dispose();
            pids.Add(child.Pid);
        }
        var spawnTime = clock.Elapsed;
        await Task.WhenAll(pids.Select(ChildExits.Of));
        output.WriteLine($"{Count} spawns of /bin/true (stdout pipe): {spawnTime.TotalMilliseconds:F0} ms, " +
                         $"{spawnTime.TotalMicroseconds / Count:F0} µs/spawn; all reaped after {clock.Elapsed.TotalMilliseconds:F0} ms");

        var latencies = new List<double>();
        var signaller = new ProcessSignaller();
        for (var i = 0; i < Math.Min(Count, 100); i++)
        {
            var pid = Started(spawner.Spawn(Request(["/bin/sleep", "60"], stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid;
            var exit = ChildExits.Of(pid);
            var t = Stopwatch.GetTimestamp();
            signaller.Signal(pid, Signals.SIGKILL, toGroup: true);
            await exit;
            latencies.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }
        latencies.Sort();
        output.WriteLine($"kill -9 → exit observed: p50 {latencies[latencies.Count / 2]:F0} µs, " +
                         $"p90 {latencies[latencies.Count * 9 / 10]:F0} µs, max {latencies[^1]:F0} µs");
        Assert.True(spawnTime.TotalMilliseconds / Count < 100, "spawning takes far too long");
    }
}
