using Taskmaster.Posix;
using Taskmaster.Signalling;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Autorestart with real exits: a SIGKILLed child comes back; exitcodes decide what "unexpected" means.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealRestartTests
{
    [Fact]
    public async Task Autorestart_AfterKillNineOfRunningChild_SpawnsNewPidThatReachesRunning()
    {
        await using var real = Start(_ => Program("web", Fixture("sleep_forever.sh"), "startsecs = 1"));
        var first = await real.RunningPid("web");

        Assert.Equal(0, new ProcessSignaller().Signal(first, Signals.SIGKILL, toGroup: false));

        await real.Log.Until(async () => (await real.Get("web")) is { State: ProcessState.Running } s && s.Pid != first,
            Deadline, "web RUNNING again with a new pid");
        var second = (await real.Get("web")).Pid;
        Assert.NotEqual(first, second);
        Assert.Equal([first, second!.Value], real.SpawnedPids("web"));
        Assert.Contains("exited: web (terminated by SIGKILL; not expected)", real.Log.Activity);
        Assert.Null(ProcFs.Read(first)); // reaped, not a zombie
    }

    [Fact]
    public async Task AutorestartUnexpected_WithExitCodesZeroAndTwo_LeavesExitTwoExitedAndRestartsExitThree()
    {
        // startsecs = 0: RUNNING at once, so each exit is an exit from RUNNING (not an early exit into BACKOFF).
        await using var real = Start(_ =>
            Program("two", $"{Fixture("exit_with.sh")} 2", "startsecs = 0", "exitcodes = 0,2", "autorestart = unexpected")
            + Program("three", $"{Fixture("exit_with.sh")} 3", "startsecs = 0", "exitcodes = 0,2", "autorestart = unexpected"));

        await real.Log.Until(() => real.Log.Of(TimedLogger.ExitedExpected, "two").Count == 1
                                   && real.SpawnedPids("three").Count >= 3,
            Deadline, "two to exit once and three to be spawned three times");

        // three restarts until stopped: stop it first, so what follows reads a log that no longer moves.
        Assert.True((await real.Engine.StopAsync(["three"], wait: true).WaitAsync(Deadline)).Single().Ok);

        // The restart decision is taken in the same loop step as the exit: once EXITED is seen, no spawn follows.
        var two = await real.Get("two");
        Assert.Equal(ProcessState.Exited, two.State);
        Assert.True(two.ExitExpected);
        Assert.Equal(ExitStatus.Exited(2), two.LastExit);
        Assert.Single(real.SpawnedPids("two"));
        Assert.Contains("exited: two (exit status 2; expected)", real.Log.Activity);
        Assert.Contains("exited: three (exit status 3; not expected)", real.Log.Activity);

        // Each unexpected exit of three is followed by a fresh spawn, with a new pid.
        var threeLines = real.Log.Entries.Where(e => e.Name == "three" && e.EventId is TimedLogger.Spawned or TimedLogger.ExitedUnexpected)
            .Select(e => e.EventId).Take(4).ToList();
        Assert.Equal([TimedLogger.Spawned, TimedLogger.ExitedUnexpected, TimedLogger.Spawned, TimedLogger.ExitedUnexpected], threeLines);
        var threePids = real.SpawnedPids("three");
        Assert.Equal(threePids.Count, threePids.Distinct().Count());
    }
}
