using Xunit.Abstractions;
using System.Diagnostics;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>A thousand real children through one engine: all reach RUNNING, all stop, nothing is left.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealScaleTests(ITestOutputHelper output)
{
    private const int Count = 1000;

    [Fact]
    public async Task Scale_ThousandSleepInstances_ReachRunningAndShutdownLeavesNoZombieOrStray()
    {
        // Two descriptors per live child (the reaper's pidfd, the engine's end of its stdin pipe), on top of what the
        // test host already has open.
        Assert.True(ResourceLimits.EnsureOpenFiles(2 * Count + 1024) >= 2 * Count + 1024, "RLIMIT_NOFILE too low for the scale test");
        var clock = Stopwatch.StartNew();
        await using var real = Start(_ => Program("sleeper", "sleep 3600", $"numprocs = {Count}",
            "process_name = %(program_name)s_%(process_num)04d", "startsecs = 1"));

        await real.Log.Until(() => real.Log.Count(TimedLogger.Success) >= Count, TimeSpan.FromSeconds(60),
            $"{Count} instances to reach RUNNING");
        var toRunning = clock.Elapsed;
        var lastSpawn = real.Log.Of(TimedLogger.Spawned).Max(e => e.At);
        var snapshots = await real.Engine.GetProcessesAsync();
        Assert.Equal(Count, snapshots.Count);
        Assert.All(snapshots, s => Assert.Equal(ProcessState.Running, s.State));
        var pids = real.AllSpawnedPids();
        Assert.Equal(Count, pids.Count);
        Assert.Equal(Count, ProcFs.InGroups(pids).Count(p => !p.IsZombie));

        clock.Restart();
        await real.Engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60));
        var toStopped = clock.Elapsed;
        output.WriteLine($"{Count} spawned in {lastSpawn.TotalSeconds:F2} s, all RUNNING (startsecs = 1) after {toRunning.TotalSeconds:F2} s, " +
            $"shutdown took {toStopped.TotalSeconds:F2} s");

        Assert.All(await real.Engine.GetProcessesAsync(), s => Assert.Equal(ProcessState.Stopped, s.State));
        Assert.Equal(Count, real.Log.Count(TimedLogger.Stopped) + real.Log.Count(TimedLogger.StoppedUnexpected));
        // Shutdown completes only once every child is reaped: no zombie, no process of any of their groups.
        var left = ProcFs.InGroups(pids);
        Assert.True(left.Count == 0, $"left behind: {string.Join(", ", left.Take(10))}");
        Assert.DoesNotContain(ProcFs.All(), p => p.ParentPid == Environment.ProcessId && pids.Contains(p.Pid));
    }
}
