using Taskmaster.Config;
using Taskmaster.Names;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>Whole sequences through the engine: retries and backoff, autorestart, stopping, UNKNOWN.</summary>
public class SupervisorLifecycleTests
{
    private static ProcessConfig Web => EngineHarness.Proc("web") with { Autostart = false };

    [Fact]
    public async Task Start_WhenChildKeepsDyingEarly_GoesFatalAfterStartRetriesPlusOneSpawnsWaitingOneTwoThreeSeconds()
    {
        await using var h = await EngineHarness.RunAsync(Web with { StartRetries = 3, StartSecs = 1 });
        await h.Start("web");

        for (var attempt = 1; attempt <= 3; attempt++)
        {
            await h.Exit("web", ExitStatus.Exited(1));
            Assert.Equal(ProcessState.Backoff, await h.State("web"));
            Assert.Equal(attempt, await h.Engine.RetriesAsync("web"));
            await h.Advance(attempt - 0.001);
            Assert.Equal(attempt, h.Spawner.CountFor("web")); // not yet
            await h.Advance(0.001);
            Assert.Equal(attempt + 1, h.Spawner.CountFor("web"));
            Assert.Equal(ProcessState.Starting, await h.State("web"));
        }

        await h.Exit("web", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Fatal, await h.State("web"));
        Assert.Equal(4, h.Spawner.CountFor("web"));
        Assert.Contains("gave up: web entered FATAL state, too many start retries too quickly", h.Log.Activity);
        Assert.Equal("Exited too quickly (process log may have details)", (await h.Get("web")).Description);

        await h.Advance(3600);
        Assert.Equal(4, h.Spawner.CountFor("web")); // FATAL stays until a manual start
    }

    [Fact]
    public async Task Start_WhenSpawnKeepsFailing_BacksOffWithSpawnErrorThenGoesFatal()
    {
        await using var h = await EngineHarness.RunAsync(Web with { StartRetries = 1 });
        h.Spawner.FailWith["web"] = "can't find command '/bin/web'";

        var result = await h.Start("web");
        Assert.Equal(ErrorCode.SpawnError, result.Error);
        Assert.Equal(ProcessState.Backoff, await h.State("web"));
        Assert.Equal("can't find command '/bin/web'", (await h.Get("web")).Description);
        Assert.Contains("spawnerr: can't find command '/bin/web'", h.Log.Activity);

        await h.Advance(1);
        Assert.Equal(ProcessState.Fatal, await h.State("web"));
        Assert.Equal(2, h.Spawner.CountFor("web"));
    }

    [Fact]
    public async Task Running_ResetsRetryCount()
    {
        await using var h = await EngineHarness.RunAsync(Web with { StartRetries = 1, StartSecs = 1 });
        await h.Start("web");
        await h.Exit("web", ExitStatus.Exited(1));
        await h.Advance(1);
        await h.Advance(1);
        Assert.Equal(ProcessState.Running, await h.State("web"));
        Assert.Equal(0, await h.Engine.RetriesAsync("web"));
    }

    [Fact]
    public async Task StartSecsZero_EntersRunningAtOnce()
    {
        await using var h = await EngineHarness.RunAsync(Web with { StartSecs = 0 });
        Assert.True((await h.Start("web", wait: true)).Ok);
        Assert.Equal(ProcessState.Running, await h.State("web"));
        Assert.Contains("success: web entered RUNNING state, process has stayed up for > than 0 seconds (startsecs)", h.Log.Activity);
    }

    [Theory]
    [InlineData(AutoRestartPolicy.Always, 0, null, true, "exit status 0; expected")]
    [InlineData(AutoRestartPolicy.Always, 1, null, true, "exit status 1; not expected")]
    [InlineData(AutoRestartPolicy.Never, 1, null, false, "exit status 1; not expected")]
    [InlineData(AutoRestartPolicy.Never, null, 9, false, "terminated by SIGKILL; not expected")]
    [InlineData(AutoRestartPolicy.Unexpected, 0, null, false, "exit status 0; expected")]
    [InlineData(AutoRestartPolicy.Unexpected, 2, null, false, "exit status 2; expected")]
    [InlineData(AutoRestartPolicy.Unexpected, 1, null, true, "exit status 1; not expected")]
    [InlineData(AutoRestartPolicy.Unexpected, null, 15, true, "terminated by SIGTERM; not expected")]
    public async Task ExitFromRunning_FollowsAutorestartAndExitcodes(AutoRestartPolicy policy, int? code, int? signal, bool respawns, string logged)
    {
        await using var h = await EngineHarness.RunAsync(Web with { AutoRestart = policy, ExitCodes = [0, 2] });
        await h.Start("web");
        await h.Advance(1);

        await h.Exit("web", code is { } c ? ExitStatus.Exited(c) : ExitStatus.Killed(signal!.Value));

        Assert.Contains($"exited: web ({logged})", h.Log.Activity);
        Assert.Equal(respawns ? 2 : 1, h.Spawner.CountFor("web"));
        Assert.Equal(respawns ? ProcessState.Starting : ProcessState.Exited, await h.State("web"));
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData(true, false)]
    public async Task Stop_WhenChildIgnoresStopSignal_KillsAfterStopWaitSecs(bool stopAsGroup, bool killAsGroup)
    {
        await using var h = await EngineHarness.RunAsync(Web with
        {
            StopSignal = Signals.SIGINT, StopWaitSecs = 10, StopAsGroup = stopAsGroup, KillAsGroup = killAsGroup,
        });
        await h.Start("web");
        await h.Advance(1);
        var pid = await h.Pid("web");

        var stopping = h.Engine.StopAsync(["web"], wait: true);
        await h.Idle();
        Assert.Equal([(pid, Signals.SIGINT, stopAsGroup)], h.Signaller.Sent);
        Assert.Equal(ProcessState.Stopping, await h.State("web"));
        Assert.Contains("waiting for web to stop", h.Log.Activity);

        await h.Advance(9.999);
        Assert.Single(h.Signaller.Sent);
        await h.Advance(0.001);
        Assert.Equal([(pid, Signals.SIGINT, stopAsGroup), (pid, Signals.SIGKILL, killAsGroup)], h.Signaller.Sent);
        Assert.Contains($"killing 'web' ({pid}) with SIGKILL", h.Log.Activity);
        Assert.False(stopping.IsCompleted); // only a reaped exit ends a process
        Assert.Equal(ProcessState.Stopping, await h.State("web"));

        await h.Exit("web", ExitStatus.Killed(Signals.SIGKILL));
        Assert.True((await stopping.WaitAsync(TimeSpan.FromSeconds(30))).Single().Ok);
        Assert.Equal(ProcessState.Stopped, await h.State("web"));
        Assert.Contains("stopped: web (terminated by SIGKILL)", h.Log.Activity);
    }

    [Fact]
    public async Task Stop_WhenChildObeys_LogsStoppedWithTheSignal()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        await h.Start("web");
        await h.Stop("web");
        await h.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(ProcessState.Stopped, await h.State("web"));
        Assert.Contains("stopped: web (terminated by SIGTERM)", h.Log.Activity);
        await h.Advance(60);
        Assert.Single(h.Signaller.Sent); // the kill deadline went away with the child
    }

    [Fact]
    public async Task Stop_InBackoff_GoesStoppedWithoutSignalAndNeverRetries()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        await h.Start("web");
        await h.Exit("web", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Backoff, await h.State("web"));

        Assert.True((await h.Stop("web", wait: true)).Ok);
        Assert.Equal(ProcessState.Stopped, await h.State("web"));
        Assert.Empty(h.Signaller.Sent);
        await h.Advance(60);
        Assert.Equal(1, h.Spawner.CountFor("web"));
    }

    [Theory]
    [InlineData("web")]
    public async Task Stop_WhenNotRunning_ReturnsNotRunning(string name)
    {
        await using var h = await EngineHarness.RunAsync(Web);
        Assert.Equal(ErrorCode.NotRunning, (await h.Stop(name)).Error);
    }

    [Fact]
    public async Task Stop_WhenSignalFails_EntersUnknownAndLogsIt()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        await h.Start("web");
        var pid = await h.Pid("web");
        h.Signaller.Errno = 1; // EPERM

        var result = await h.Stop("web");

        Assert.Equal(ErrorCode.Failed, result.Error);
        Assert.Equal(ProcessState.Unknown, await h.State("web"));
        Assert.Contains($"unknown problem killing web ({pid}): errno 1", h.Log.Activity);
        await h.Advance(3600); // no deadline survives into UNKNOWN
        Assert.Single(h.Signaller.Sent);
        Assert.Equal(ErrorCode.Failed, (await h.Start("web")).Error);

        await h.Exit("web", ExitStatus.Exited(0)); // only the reap gets it out
        Assert.Equal(ProcessState.Exited, await h.State("web"));
    }

    [Fact]
    public async Task Stop_WhenChildAlreadyGone_EsrchIsNotAFailure()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        await h.Start("web");
        h.Signaller.Errno = 3; // ESRCH: it died and awaits its reap
        Assert.True((await h.Stop("web")).Ok);
        Assert.Equal(ProcessState.Stopping, await h.State("web"));
        await h.Exit("web", ExitStatus.Exited(0));
        Assert.Equal(ProcessState.Stopped, await h.State("web"));
    }

    [Fact]
    public async Task Signal_SendsToTheProcessOnly_AndRefusesWhenNotRunning()
    {
        await using var h = await EngineHarness.RunAsync(Web, EngineHarness.Proc("db") with { Autostart = false });
        await h.Start("web");
        var pid = await h.Pid("web");

        var results = await h.Engine.SignalAsync(["web", "db", "nope"], Signals.SIGHUP);

        Assert.Equal([new OperationResult("web"), new OperationResult("db", ErrorCode.NotRunning), new OperationResult("nope", ErrorCode.BadName) { Unknown = NameScope.Process }], results);
        Assert.Equal([(pid, Signals.SIGHUP, false)], h.Signaller.Sent);
        Assert.Equal(ErrorCode.BadSignal, (await h.Engine.SignalAsync(["web"], 99)).Single().Error);
    }

    [Fact]
    public async Task ExitOfUnknownPid_IsIgnored()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        await h.Start("web");
        h.Watcher.Exit(4242, ExitStatus.Exited(0));
        await h.Idle();
        Assert.Equal(ProcessState.Starting, await h.State("web"));
    }

    [Fact]
    public async Task Idle_WithEverythingRunning_NeverWakesUp()
    {
        await using var h = await EngineHarness.RunAsync(
            EngineHarness.Proc("a") with { StartSecs = 1 }, EngineHarness.Proc("b") with { StartSecs = 2 });
        await h.Advance(1);
        await h.Advance(1);
        Assert.Equal(ProcessState.Running, await h.State("a"));
        Assert.Equal(ProcessState.Running, await h.State("b"));
        var (wakeUps, armings) = (h.Engine.WakeUps, h.Engine.TimerArmings);
        Assert.Equal(2, wakeUps); // one per startsecs deadline, nothing else

        for (var i = 0; i < 100; i++) await h.Advance(36);

        Assert.Equal(wakeUps, h.Engine.WakeUps);
        Assert.Equal(armings, h.Engine.TimerArmings);
    }

    [Fact]
    public async Task Shutdown_StopsEverythingInReversePriorityAndCompletesWhenAllReaped()
    {
        await using var h = await EngineHarness.RunAsync(
            EngineHarness.Proc("low") with { Priority = 1, AutoRestart = AutoRestartPolicy.Always },
            EngineHarness.Proc("high") with { Priority = 2, AutoRestart = AutoRestartPolicy.Always });
        await h.Advance(1);
        var (low, high) = (await h.Pid("low"), await h.Pid("high"));

        var shutdown = h.Engine.ShutdownAsync();
        await h.Idle();
        Assert.Equal([(high, Signals.SIGTERM, true)], h.Signaller.Sent);
        await h.Exit("high", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal([(high, Signals.SIGTERM, true), (low, Signals.SIGTERM, true)], h.Signaller.Sent);
        Assert.False(shutdown.IsCompleted);
        await h.Exit("low", ExitStatus.Exited(0));
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, h.Spawner.Requests.Count); // autorestart is off during shutdown
        Assert.Equal(ErrorCode.ShutdownState, (await h.Start("low")).Error);
    }

    [Fact]
    public async Task Watch_PublishesEveryTransition()
    {
        await using var h = await EngineHarness.RunAsync(Web);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var changes = h.Engine.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        await h.Start("web");
        await h.Advance(1);
        await h.Stop("web");
        await h.Exit("web", ExitStatus.Killed(Signals.SIGTERM));

        var seen = new List<(ProcessState, ProcessState)>();
        while (seen.Count < 4 && await changes.MoveNextAsync())
            if (changes.Current is ProcessStateChange c) seen.Add((c.From, c.To));
        Assert.Equal([
            (ProcessState.Stopped, ProcessState.Starting), (ProcessState.Starting, ProcessState.Running),
            (ProcessState.Running, ProcessState.Stopping), (ProcessState.Stopping, ProcessState.Stopped)], seen);
        await changes.DisposeAsync();
    }
}
