using Xunit.Abstractions;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Priority with real children: start ascending, stop reverse, one priority started and stopped together.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealPriorityTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Priority_StartsAscending_StopsInReverse_AndStopsOnePriorityConcurrently()
    {
        // The middle pair ignore TERM, so each takes stopwaitsecs to stop: stopped one after the other they
        // would be killed a second apart; stopped together, at the same moment.
        await using var real = Start(_ =>
            Program("last", Fixture("sleep_forever.sh"), "priority = 30")
            + Program("mid_a", Fixture("ignore_term.sh"), "priority = 20", "stopwaitsecs = 1")
            + Program("first", Fixture("sleep_forever.sh"), "priority = 10")
            + Program("mid_b", Fixture("ignore_term.sh"), "priority = 20", "stopwaitsecs = 1"));
        string[] all = ["first", "mid_a", "mid_b", "last"];
        foreach (var name in all) await real.WaitForState(name, ProcessState.Running);

        var spawnOrder = real.Log.Of(TimedLogger.Spawned).Select(e => e.Name).ToList();
        Assert.Equal("first", spawnOrder[0]);
        Assert.Equal(["mid_a", "mid_b"], spawnOrder[1..3].Order());
        Assert.Equal("last", spawnOrder[3]);
        // Starting does not wait for a priority to be RUNNING before spawning the next: all spawn before any success.
        var firstSuccess = real.Log.Entries.First(e => e.EventId == TimedLogger.Success).At;
        Assert.All(real.Log.Of(TimedLogger.Spawned), e => Assert.True(e.At < firstSuccess));

        var results = await real.Engine.StopAsync(["all"], wait: true).WaitAsync(Deadline);
        Assert.All(results, r => Assert.True(r.Ok, r.ToString()));

        LogEntry Signalled(string name) => Assert.Single(real.Log.Of(TimedLogger.StopSignal, name));
        LogEntry Stopped(string name) => real.Log.Entries.Single(e => e.EventId is TimedLogger.Stopped or TimedLogger.StoppedUnexpected && e.Name == name);
        LogEntry Killed(string name) => Assert.Single(real.Log.Of(TimedLogger.Killing, name));

        // Reverse order: a priority is signalled only once the higher one is down.
        Assert.True(Stopped("last").At <= Signalled("mid_a").At);
        Assert.True(Stopped("last").At <= Signalled("mid_b").At);
        Assert.True(Stopped("mid_a").At <= Signalled("first").At);
        Assert.True(Stopped("mid_b").At <= Signalled("first").At);
        // One priority together: both signalled before either stopped, both killed at about the same time.
        Assert.True(Signalled("mid_b").At < Stopped("mid_a").At && Signalled("mid_a").At < Stopped("mid_b").At);
        var killSpread = (Killed("mid_a").At - Killed("mid_b").At).Duration().TotalSeconds;
        output.WriteLine($"mid_a and mid_b SIGKILLed {killSpread:F3} s apart");
        Assert.True(killSpread < 0.5, $"the two TERM-ignoring programs of one priority were killed {killSpread:F3} s apart");
        foreach (var name in all) Assert.Equal(ProcessState.Stopped, (await real.Get(name)).State);
    }
}
