using Xunit.Abstractions;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Backoff with real early exits and the system clock: the waits really are 1, 2, 3 seconds.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealBackoffTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Start_WhenChildExitsWithinStartSecs_GoesFatalAfterStartRetriesPlusOneSpawnsWaitingOneTwoThreeSeconds()
    {
        await using var real = Start(_ =>
            Program("crash", $"{Fixture("exit_with.sh")} 1", "startsecs = 1", "startretries = 3"));

        await real.WaitForState("crash", ProcessState.Fatal, TimeSpan.FromSeconds(60));

        var spawns = real.Log.Of(TimedLogger.Spawned, "crash");
        Assert.Equal(4, spawns.Count);
        for (var n = 1; n <= 3; n++)
        {
            var gap = (spawns[n].At - spawns[n - 1].At).TotalSeconds;
            output.WriteLine($"gap before spawn {n + 1}: {gap:F3} s (expected {n} s)");
            Assert.InRange(gap, n - 0.1, n + 1.5 - 1e-9);
        }
        Assert.Equal(4, real.Log.Of(TimedLogger.ExitedUnexpected, "crash").Count);
        Assert.Contains("gave up: crash entered FATAL state, too many start retries too quickly", real.Log.Activity);
        var snapshot = await real.Get("crash");
        Assert.Equal("Exited too quickly (process log may have details)", snapshot.Description);
        Assert.Null(snapshot.Pid);
    }
}
