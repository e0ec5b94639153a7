using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.Reload.ReloadKit;

namespace Taskmaster.Tests.Supervision.Reload;

/// <summary>Updates that land while processes are STARTING, BACKOFF or STOPPING: nothing lost, nothing doubled.</summary>
public class ReloadDuringTransitionsTests
{
    private static ProcessConfig Web => EngineHarness.Proc("web") with { StartSecs = 5, StartRetries = 5 };
    private static ProcessConfig Other => EngineHarness.Proc("other");
    private static readonly CommandLine NewCommand = new("/bin/web2", ["/bin/web2"]);

    /// <summary>Every process shows once; every pid the fake spawner handed out and did not reap is still tracked.</summary>
    private static async Task AssertNoDuplicate(ReloadKit k)
    {
        var names = await k.Names();
        Assert.Equal(names.Distinct().Count(), names.Count);
    }

    [Fact]
    public async Task Update_RestartWhileStarting_StopsTheStartingChildAndSpawnsOnceAfterItsReap()
    {
        await using var k = await RunningAsync(Other, Web with { Autostart = false });
        await k.H.Start("web");
        var oldPid = await k.H.Pid("web");
        Assert.Equal(ProcessState.Starting, await k.H.State("web"));

        k.Set(Other, Web with { Autostart = false, Command = NewCommand } with { Autostart = true });
        var update = await k.BeginUpdate();
        Assert.Equal(ProcessState.Stopping, await k.H.State("web"));
        await k.H.Advance(10); // the old start deadline must not fire on a stopping child
        Assert.Equal(ProcessState.Stopping, await k.H.State("web"));
        Assert.Equal(1, k.H.Spawner.CountFor("web"));

        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        await update.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
        Assert.NotEqual(oldPid, await k.H.Pid("web"));
        Assert.Equal(ProcessState.Starting, await k.H.State("web"));
        await AssertNoDuplicate(k);
    }

    [Fact]
    public async Task Update_InPlaceWhileStarting_KeepsTheChildStarting()
    {
        await using var k = await RunningAsync(Web with { Autostart = false });
        await k.H.Start("web");
        var pid = await k.H.Pid("web");
        k.Set(Web with { Autostart = false, AutoRestart = AutoRestartPolicy.Always });
        Assert.Equal(["web: updated process group"], await k.Update());
        Assert.Equal(ProcessState.Starting, await k.H.State("web"));
        Assert.Equal(pid, await k.H.Pid("web"));
        await k.H.Advance(5);
        Assert.Equal(ProcessState.Running, await k.H.State("web"));
    }

    [Fact]
    public async Task Update_RestartWhileInBackoff_CancelsTheRetryAndSpawnsOnceWithTheNewCommand()
    {
        await using var k = await RunningAsync(Web with { Autostart = false });
        await k.H.Start("web");
        await k.H.Exit("web", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Backoff, await k.H.State("web"));

        k.Set(Web with { Command = NewCommand });
        Assert.Equal(["web: stopped", "web: updated process group"], await k.Update());
        Assert.Empty(k.H.Signaller.Sent); // BACKOFF has no child to signal
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
        Assert.Equal(["/bin/web2"], k.H.Spawner.Requests.Last().Argv.ToList());

        await k.H.Advance(30); // the old retry is gone: no third spawn
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
        Assert.Equal(ProcessState.Running, await k.H.State("web"));
        await AssertNoDuplicate(k);
    }

    [Fact]
    public async Task Update_RemovalWhileInBackoff_ForgetsItWithoutAnotherSpawn()
    {
        await using var k = await RunningAsync(Other, Web with { Autostart = false });
        await k.H.Start("web");
        await k.H.Exit("web", ExitStatus.Exited(1));
        k.Set(Other);
        Assert.Equal(["web: stopped", "web: removed process group"], await k.Update());
        await k.H.Advance(30);
        Assert.Equal(1, k.H.Spawner.CountFor("web"));
        Assert.Equal(["other"], await k.Names());
    }

    [Fact]
    public async Task Update_InPlaceWhileInBackoff_KeepsRetryingUnderTheNewLimit()
    {
        await using var k = await RunningAsync(Web with { Autostart = false, StartRetries = 5 });
        await k.H.Start("web");
        await k.H.Exit("web", ExitStatus.Exited(1));
        k.Set(Web with { StartRetries = 1 });
        Assert.Equal(["web: updated process group"], await k.Update());
        Assert.Equal(ProcessState.Backoff, await k.H.State("web"));
        await k.H.Advance(1);
        await k.H.Exit("web", ExitStatus.Exited(1)); // second early exit: above the new startretries
        Assert.Equal(ProcessState.Fatal, await k.H.State("web"));
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
    }

    [Fact]
    public async Task Update_RemovalWhileStopping_KeepsItTrackedUntilReaped_EvenThroughTheKill()
    {
        await using var k = await RunningAsync(Other, Web with { StopWaitSecs = 4 });
        var pid = await k.H.Pid("web");
        await k.H.Stop("web");
        Assert.Equal(ProcessState.Stopping, await k.H.State("web"));

        k.Set(Other);
        var update = await k.BeginUpdate();
        Assert.False(update.IsCompleted);
        Assert.Equal(["other", "web"], await k.Names()); // still visible, still ours
        await k.H.Advance(4);
        Assert.Equal([(pid, Signals.SIGTERM, true), (pid, Signals.SIGKILL, true)], k.H.Signaller.Sent);
        Assert.False(update.IsCompleted);

        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGKILL));
        Assert.Equal(["web: stopped", "web: removed process group"], Lines(await update.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(["other"], await k.Names());
        Assert.DoesNotContain(k.H.Log.All, l => l.StartsWith("reaped unknown pid", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Update_RestartWhileStopping_WaitsForTheReapThenStartsTheNewChild()
    {
        await using var k = await RunningAsync(Web);
        await k.H.Stop("web");
        k.Set(Web with { Command = NewCommand });
        var update = await k.BeginUpdate();
        Assert.Equal(1, k.H.Spawner.CountFor("web"));
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        await update.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
        Assert.Equal(ProcessState.Starting, await k.H.State("web"));
        await AssertNoDuplicate(k);
    }

    [Fact]
    public async Task Update_InPlaceWhileStopping_LetsTheStopFinish()
    {
        await using var k = await RunningAsync(Web with { AutoRestart = AutoRestartPolicy.Always });
        await k.H.Stop("web");
        k.Set(Web with { AutoRestart = AutoRestartPolicy.Never, StopWaitSecs = 1 });
        Assert.Equal(["web: updated process group"], await k.Update());
        Assert.Equal(ProcessState.Stopping, await k.H.State("web"));
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(ProcessState.Stopped, await k.H.State("web"));
        Assert.Equal(1, k.H.Spawner.CountFor("web"));
    }

    [Fact]
    public async Task Update_WhenAnOperatorStartsALeavingInstanceMidway_StopsItAgainBeforeForgettingIt()
    {
        // Two removed programs in two priority batches: "late" (priority 20) is stopped first, then "early".
        var early = EngineHarness.Proc("early") with { Priority = 10 };
        var late = EngineHarness.Proc("late") with { Priority = 20 };
        await using var k = await RunningAsync(Other, early, late);
        k.Set(Other);
        var update = await k.BeginUpdate();
        await k.H.Exit("late", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(ProcessState.Stopping, await k.H.State("early"));

        Assert.True((await k.H.Start("late")).Ok); // an operator restarts it while "early" is still stopping
        var restartedPid = await k.H.Pid("late");
        await k.H.Exit("early", ExitStatus.Killed(Signals.SIGTERM));
        Assert.False(update.IsCompleted);
        Assert.Equal(ProcessState.Stopping, await k.H.State("late"));
        Assert.Contains("reload: late was started during the update; stopping it again", k.ReloadLines);

        k.H.Watcher.Exit(restartedPid, ExitStatus.Killed(Signals.SIGTERM));
        await update.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["other"], await k.Names());
    }

    [Fact]
    public async Task Update_WhenAChildCannotBeSignalled_KeepsTrackingItAndReportsTheGroup()
    {
        await using var k = await RunningAsync(Other, Web);
        k.H.Signaller.Errno = 1; // EPERM: the stop fails, the process goes UNKNOWN with its child
        k.Set(Other);
        var results = await k.Update();
        Assert.Equal(["web: stopped", "web: has problems; not removing"], results);
        Assert.Equal(ProcessState.Unknown, await k.H.State("web"));
        Assert.Contains("reload: web still has a child that could not be stopped; it stays as it was", k.ReloadLines);

        // Its exit is still seen and lands in EXITED.
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGKILL));
        Assert.Equal(ProcessState.Exited, await k.H.State("web"));
    }

    [Fact]
    public async Task Shutdown_DuringAnUpdate_StartsNothingNew()
    {
        await using var k = await RunningAsync(Web);
        k.Set(Web with { Command = NewCommand });
        var update = await k.BeginUpdate();
        var shutdown = k.H.Engine.ShutdownAsync();
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        await update.WaitAsync(TimeSpan.FromSeconds(30));
        await shutdown.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, k.H.Spawner.CountFor("web"));
        Assert.Equal(ProcessState.Stopped, await k.H.State("web"));
    }

    [Fact]
    public async Task Engine_TwoUpdatesAtOnce_RunOneAfterTheOther_TheSecondDiffingAgainstTheFirst()
    {
        await using var k = await RunningAsync(Web);
        var first = k.H.Engine.ApplyAsync(EngineHarness.Config([Web with { Command = NewCommand }]), []);
        var second = k.H.Engine.ApplyAsync(EngineHarness.Config([Web with { Command = NewCommand }, Other]), []);
        await k.H.Idle();
        Assert.False(first.IsCompleted);
        Assert.False(second.IsCompleted);
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(["web: stopped", "web: updated process group"], Lines(await first.WaitAsync(TimeSpan.FromSeconds(30))));
        // The second sees web already updated: it only adds "other", and web is spawned exactly twice in all.
        Assert.Equal(["other: added process group"], Lines(await second.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(2, k.H.Spawner.CountFor("web"));
        await AssertNoDuplicate(k);
    }
}
