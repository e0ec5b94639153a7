using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// Issue 25, in the engine (fake spawner, signaller and clock): a stop waits for the process group, not its leader;
/// what an exit leaves in the group is stopped before the next spawn; a start meeting STOPPING answers as
/// supervisorctl does. <see cref="FakeSignaller.Members"/> models the kernel's groups: process 4242 is "the worker"
/// a wrapper leaves behind.
/// </summary>
public class GroupStopTests
{
    private const int Worker = 4242;

    private static ProcessConfig P(string name = "p") =>
        EngineHarness.Proc(name) with { Autostart = false, StartSecs = 0, StopWaitSecs = 10, AutoRestart = AutoRestartPolicy.Never };

    /// <summary>Starts "p" (RUNNING at once, startsecs 0) with <see cref="Worker"/> in its group; returns the group.</summary>
    private static async Task<int> StartWrapped(EngineHarness h, string name = "p")
    {
        await h.Start(name);
        Assert.Equal(ProcessState.Running, await h.State(name));
        var pgid = await h.Pid(name);
        h.Signaller.Members[pgid] = [Worker];
        return pgid;
    }

    /// <summary>The worker finishes: the group is empty, and (as subreaper) its reap is reported.</summary>
    private static async Task WorkerExits(EngineHarness h, int pgid, ExitStatus? status = null)
    {
        h.Signaller.Members.TryRemove(pgid, out _);
        h.Watcher.OrphanExit(Worker, pgid, status ?? ExitStatus.Exited(0));
        await h.Idle();
    }

    private static List<string> SignalsTo(EngineHarness h, int pgid) =>
        [.. h.Signaller.SentText.Where(s => s.StartsWith($"-{pgid} ", StringComparison.Ordinal) || s.StartsWith($"{pgid} ", StringComparison.Ordinal))];

    [Fact]
    public async Task Stop_WhenTheWrapperDiesAtOnce_StaysStoppingUntilItsWorkerHasExited_WithoutPolling()
    {
        await using var h = await EngineHarness.RunAsync(P());
        h.Watcher.AdoptsOrphans = true; // the daemon: orphans come back to us and their exits are events
        var pgid = await StartWrapped(h);

        var stop = h.Engine.StopAsync(["p"], wait: true);
        await h.Idle();
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM)); // the wrapper died on the signal
        Assert.Equal(ProcessState.Stopping, await h.State("p"));
        Assert.True(h.Watcher.AdoptionReads > 0, "the worker, re-parented to us, was never watched");
        Assert.False(stop.IsCompleted);

        var wakeUps = h.Engine.WakeUps;
        await h.Advance(5); // the worker's cleanup takes a while; stopwaitsecs is 10
        Assert.Equal(ProcessState.Stopping, await h.State("p"));
        Assert.Equal(wakeUps, h.Engine.WakeUps); // nothing polled meanwhile: the only deadline is the SIGKILL's, at 10 s

        await WorkerExits(h, pgid);
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
        Assert.True((await stop.WaitAsync(TimeSpan.FromSeconds(30))).Single().Ok);
        Assert.Equal([$"-{pgid} SIGTERM"], SignalsTo(h, pgid)); // no SIGKILL: the worker had its whole shutdown
        Assert.Contains("stopped: p (terminated by SIGTERM)", h.Log.Activity);
    }

    [Fact]
    public async Task Stop_WhenNotSubreaper_ChecksTheGroupOnADoublingDeadlineUntilItIsEmpty()
    {
        await using var h = await EngineHarness.RunAsync(P());
        var pgid = await StartWrapped(h);

        await h.Stop("p");
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        var armings = h.Engine.TimerArmings;
        for (var i = 0; i < 6; i++) await h.Advance(0.1);
        Assert.Equal(ProcessState.Stopping, await h.State("p"));
        Assert.InRange(h.Engine.TimerArmings - armings, 3, 6); // 10, 20, 40, 80, 160 ms...: a handful, not one per tick

        h.Signaller.Members.TryRemove(pgid, out _); // the worker is gone (init reaped it: no event reaches us)
        await h.Advance(GroupPoll.Max.TotalSeconds);
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
        Assert.Equal([$"-{pgid} SIGTERM"], SignalsTo(h, pgid));
    }

    [Fact]
    public async Task Stop_WhenTheGroupOutlivesStopWaitSecs_SigkillsTheGroupAtTheDeadline_ThenStopped()
    {
        await using var h = await EngineHarness.RunAsync(P() with { StopWaitSecs = 3 });
        h.Watcher.AdoptsOrphans = true;
        var pgid = await StartWrapped(h);

        await h.Stop("p");
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        await h.Advance(2.9);
        Assert.Equal([$"-{pgid} SIGTERM"], SignalsTo(h, pgid));
        await h.Advance(0.1);
        Assert.Equal([$"-{pgid} SIGTERM", $"-{pgid} SIGKILL"], SignalsTo(h, pgid));
        Assert.Contains($"killing what p left in its process group {pgid} (pids {Worker}) with SIGKILL", h.Log.Activity);
        Assert.Equal(ProcessState.Stopping, await h.State("p"));

        await WorkerExits(h, pgid, ExitStatus.Killed(Signals.SIGKILL));
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
    }

    [Fact]
    public async Task Restart_WhileTheWorkerFinishesItsShutdown_SpawnsOnlyOnceTheGroupIsEmpty()
    {
        await using var h = await EngineHarness.RunAsync(P());
        h.Watcher.AdoptsOrphans = true;
        var pgid = await StartWrapped(h);

        var restart = h.Engine.RestartAsync(["p"], wait: false);
        await h.Idle();
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        await h.Advance(1);
        Assert.Equal(1, h.Spawner.CountFor("p"));
        Assert.False(restart.IsCompleted);

        await WorkerExits(h, pgid);
        Assert.True((await restart.WaitAsync(TimeSpan.FromSeconds(30))).Single().Ok);
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Running, await h.State("p"));
    }

    [Fact]
    public async Task Exit_LeavingAWorker_StopsItOnceWithItsPids_AndRespawnsOnlyWhenItIsGone()
    {
        await using var h = await EngineHarness.RunAsync(P() with { AutoRestart = AutoRestartPolicy.Always });
        h.Watcher.AdoptsOrphans = true;
        var pgid = await StartWrapped(h);

        await h.Exit("p", ExitStatus.Exited(1)); // the wrapper crashed; its worker runs on
        Assert.Equal(ProcessState.Starting, await h.State("p")); // autorestart asked for it; the spawn waits
        Assert.Null((await h.Get("p")).Pid);
        Assert.Equal(1, h.Spawner.CountFor("p"));
        Assert.Equal([$"-{pgid} SIGTERM"], SignalsTo(h, pgid));
        var line = $"stopping what p left in its process group {pgid} (pids {Worker}) with SIGTERM, SIGKILL after 10 seconds (stopwaitsecs)";
        Assert.Single(h.Log.Activity, l => l == line);
        Assert.Contains($"not spawning p yet: what its last process left in process group {pgid} is still being stopped", h.Log.Activity);

        await WorkerExits(h, pgid);
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Running, await h.State("p"));
        Assert.Single(h.Log.Activity, l => l == line); // said once
    }

    [Fact]
    public async Task Exit_LeavingAWorkerThatIgnoresTheStopSignal_SigkillsItAfterStopWaitSecs_ThenRespawns()
    {
        await using var h = await EngineHarness.RunAsync(P() with { AutoRestart = AutoRestartPolicy.Always, StopWaitSecs = 4 });
        var pgid = await StartWrapped(h); // not subreaper: the group is checked, its leftovers' end is seen that way

        await h.Exit("p", ExitStatus.Exited(1));
        await h.Advance(3.9);
        Assert.Equal([$"-{pgid} SIGTERM"], SignalsTo(h, pgid));
        Assert.Equal(1, h.Spawner.CountFor("p"));
        await h.Advance(0.1);
        Assert.Equal([$"-{pgid} SIGTERM", $"-{pgid} SIGKILL"], SignalsTo(h, pgid));

        h.Signaller.Members.TryRemove(pgid, out _);
        await h.Advance(GroupPoll.Max.TotalSeconds);
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Running, await h.State("p"));
    }

    [Fact]
    public async Task Exit_LeavingAWorker_WithKillAsGroupFalse_LeavesItAlone_AndRespawnsAtOnce()
    {
        await using var h = await EngineHarness.RunAsync(P() with { AutoRestart = AutoRestartPolicy.Always, KillAsGroup = false });
        var pgid = await StartWrapped(h);

        await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Empty(SignalsTo(h, pgid));
        Assert.Contains($"leaving what p left in its process group {pgid} (pids {Worker}) running: killasgroup is false", h.Log.Activity);
    }

    [Fact]
    public async Task Start_WhileStopping_AnswersAbnormalTermination_LikeSupervisorctl_AndTheStopGoesOn()
    {
        await using var h = await EngineHarness.RunAsync(P());
        await h.Start("p");
        var stop = h.Engine.StopAsync(["p"], wait: true);
        await h.Idle();

        var start = (await h.Engine.StartAsync(["p"], wait: true)).Single();
        Assert.Equal(ErrorCode.AbnormalTermination, start.Error);
        Assert.Contains("process 'p' already running", h.Log.Activity);
        Assert.Equal(ProcessState.Stopping, await h.State("p"));
        Assert.Equal(1, h.Spawner.CountFor("p"));

        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        Assert.True((await stop.WaitAsync(TimeSpan.FromSeconds(30))).Single().Ok);
        Assert.Equal(ProcessState.Stopped, await h.State("p")); // what the stop asked; the start said it failed
    }

    [Fact]
    public async Task Shutdown_WaitsForWhatAnExitedProgramLeft()
    {
        await using var h = await EngineHarness.RunAsync(P());
        h.Watcher.AdoptsOrphans = true;
        var pgid = await StartWrapped(h);
        await h.Exit("p", ExitStatus.Exited(0));
        Assert.Equal(ProcessState.Exited, await h.State("p"));

        var shutdown = h.Engine.ShutdownAsync();
        await h.Advance(1);
        Assert.False(shutdown.IsCompleted);
        await WorkerExits(h, pgid);
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task StopInBackoff_WithLeftoversBeingStopped_IsStoppedAtOnce_ButTheNextStartWaitsForThem()
    {
        await using var h = await EngineHarness.RunAsync(P() with { StartSecs = 1, StartRetries = 3 });
        h.Watcher.AdoptsOrphans = true;
        await h.Start("p");
        var pgid = await h.Pid("p");
        h.Signaller.Members[pgid] = [Worker];
        await h.Exit("p", ExitStatus.Exited(1)); // exited too quickly, leaving its worker
        Assert.Equal(ProcessState.Backoff, await h.State("p"));

        Assert.True((await h.Stop("p", wait: true)).Ok);
        Assert.Equal(ProcessState.Stopped, await h.State("p")); // DESIGN §2: stop in BACKOFF → STOPPED without a signal
        await h.Start("p");
        Assert.Equal(ProcessState.Starting, await h.State("p"));
        Assert.Equal(1, h.Spawner.CountFor("p"));

        await WorkerExits(h, pgid);
        Assert.Equal(2, h.Spawner.CountFor("p"));
    }

    [Fact]
    public async Task Stop_WithStopAsGroupAndKillAsGroupFalse_IsAboutTheLeaderAlone_AsInSupervisord()
    {
        await using var h = await EngineHarness.RunAsync(P() with { StopAsGroup = false, KillAsGroup = false });
        var pgid = await StartWrapped(h);

        await h.Stop("p");
        Assert.Equal([$"{pgid} SIGTERM"], SignalsTo(h, pgid));
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
    }

    [Fact]
    public async Task Stop_WithKillAsGroupFalse_AfterTheLeadersSigkill_LeavesTheRestOfTheGroupAndSaysSo()
    {
        await using var h = await EngineHarness.RunAsync(P() with { KillAsGroup = false, StopWaitSecs = 2 });
        var pgid = await StartWrapped(h);

        await h.Stop("p");
        await h.Advance(2);
        Assert.Equal([$"-{pgid} SIGTERM", $"{pgid} SIGKILL"], SignalsTo(h, pgid));
        await h.Exit("p", ExitStatus.Killed(Signals.SIGKILL));
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
        Assert.Contains($"leaving what p left in its process group {pgid} (pids {Worker}) running: killasgroup is false", h.Log.Activity);
    }

    [Fact]
    public async Task GroupThatSurvivesSigkill_IsGivenUpOnAfterKillWait_SayingWhoIsLeft()
    {
        await using var h = await EngineHarness.RunAsync(P() with { StopWaitSecs = 1 });
        h.Watcher.AdoptsOrphans = true;
        var pgid = await StartWrapped(h);

        await h.Stop("p");
        await h.Exit("p", ExitStatus.Killed(Signals.SIGTERM));
        await h.Advance(1); // SIGKILL to the group; its member is stuck in the kernel and never goes
        Assert.Contains($"-{pgid} SIGKILL", SignalsTo(h, pgid));
        await h.Advance(GroupPoll.KillWait.TotalSeconds - 1);
        Assert.Equal(ProcessState.Stopping, await h.State("p"));
        await h.Advance(1);
        Assert.Equal(ProcessState.Stopped, await h.State("p"));
        Assert.Contains(h.Log.Entries, e => e.Text.StartsWith($"gave up waiting for p's process group {pgid} (pids {Worker})", StringComparison.Ordinal));
    }
}
