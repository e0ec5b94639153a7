using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision;
using Taskmaster.Tests.Config;
using static Taskmaster.Tests.Supervision.Reload.ReloadKit;

namespace Taskmaster.Tests.Supervision.Reload;

/// <summary><c>update</c> on the engine (fake spawner, fake clock): each kind of change touches only its instance.</summary>
public class ReloadUpdateTests
{
    private static ProcessConfig Crasher => EngineHarness.Proc("crasher") with { AutoRestart = AutoRestartPolicy.Always };
    private static ProcessConfig Db => EngineHarness.Proc("db");

    [Fact]
    public async Task Update_NumprocsFourToSixToFour_KeepsTheOriginalFourPids()
    {
        await using var k = await RunningAsync(Instances("web", 4));
        var four = await k.Pids();
        Assert.Equal(4, four.Count);

        k.Set(Instances("web", 6));
        Assert.Equal(["web: updated process group"], await k.Update());
        await k.H.Idle();
        var six = await k.Pids();
        Assert.Equal(6, six.Count);
        foreach (var (name, pid) in four) Assert.Equal(pid, six[name]);
        Assert.NotNull(six["web:web_04"]);
        Assert.NotNull(six["web:web_05"]);
        Assert.Contains("reload: web_04 added", k.ReloadLines);
        Assert.Contains("reload: web_05 added", k.ReloadLines);

        k.Set(Instances("web", 4));
        var back = k.BeginUpdate();
        var update = await back;
        Assert.False(update.IsCompleted); // web_04 and web_05 are being stopped
        Assert.Equal([(six["web:web_04"]!.Value, Signals.SIGTERM, true), (six["web:web_05"]!.Value, Signals.SIGTERM, true)],
            k.H.Signaller.Sent.OrderBy(s => s.Pid));
        await k.H.Exit("web:web_04", ExitStatus.Killed(Signals.SIGTERM));
        await k.H.Exit("web:web_05", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(["web: stopped", "web: updated process group"], Lines(await update.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(four, await k.Pids());
        Assert.Contains("reload: web_05 stopped for removal", k.ReloadLines);
        Assert.Contains("reload: web_05 removed", k.ReloadLines);
        Assert.Equal(6, k.H.Spawner.Requests.Count); // nothing else was ever respawned
    }

    [Fact]
    public async Task Update_AddedProgram_StartsItAndLeavesTheOthersAlone()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var before = await k.Pids();

        k.Set(Crasher, Db, EngineHarness.Proc("cache"), EngineHarness.Proc("lazy") with { Autostart = false });
        Assert.Equal(["cache: added process group", "lazy: added process group"], await k.Update());

        Assert.Equal(ProcessState.Starting, await k.H.State("cache"));
        Assert.Equal(ProcessState.Stopped, await k.H.State("lazy")); // per autostart
        var after = await k.Pids();
        Assert.Equal(before["crasher"], after["crasher"]);
        Assert.Equal(before["db"], after["db"]);
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Equal(["reload: cache added", "reload: lazy added", "reload: group cache added", "reload: group lazy added"], k.ReloadLines);
        Assert.Equal(["cache"], k.H.Logs.Prepared.Last()); // its log file made ahead, as at autostart
    }

    [Fact]
    public async Task Update_ChangedCommand_StopsTheOldChildAndSpawnsTheNewOneOnlyAfterItIsReaped()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var oldDb = await k.H.Pid("db");
        var crasherPid = await k.H.Pid("crasher");

        k.Set(Crasher, Db with { Command = new CommandLine("/bin/db2 --fast", ["/bin/db2", "--fast"]) });
        var update = await k.BeginUpdate();
        Assert.Equal(ProcessState.Stopping, await k.H.State("db"));
        Assert.Equal([(oldDb, Signals.SIGTERM, true)], k.H.Signaller.Sent);
        Assert.Equal(1, k.H.Spawner.CountFor("db")); // not before the old child is reaped
        Assert.False(update.IsCompleted);

        await k.H.Exit("db", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(["db: stopped", "db: updated process group"], Lines(await update.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(2, k.H.Spawner.CountFor("db"));
        Assert.Equal(["/bin/db2", "--fast"], k.H.Spawner.Requests.Last().Argv.ToList());
        Assert.NotEqual(oldDb, await k.H.Pid("db"));
        Assert.Equal(crasherPid, await k.H.Pid("crasher"));
        Assert.Contains("reload: db stopped for a changed command", k.ReloadLines);
        Assert.Single(await k.Names(), "db");
    }

    [Fact]
    public async Task Update_ChangedCommandOfAStoppedProgram_ReplacesItWithoutAnySignal()
    {
        await using var k = await RunningAsync(Crasher, Db with { Autostart = false });
        k.Set(Crasher, Db with { Autostart = false, Directory = "/srv" });
        Assert.Equal(["db: updated process group"], await k.Update());
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Equal(ProcessState.Stopped, await k.H.State("db"));
        Assert.Contains("reload: db replaced for a changed directory", k.ReloadLines);
    }

    [Fact]
    public async Task Update_ChangedAutorestart_KeepsThePid_AndTheNextExitFollowsTheNewPolicy()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var pid = await k.H.Pid("crasher");

        k.Set(Crasher with { AutoRestart = AutoRestartPolicy.Never }, Db);
        Assert.Equal(["crasher: updated process group"], await k.Update());
        Assert.Equal(pid, await k.H.Pid("crasher"));
        Assert.Equal(ProcessState.Running, await k.H.State("crasher"));
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Equal(["reload: crasher autorestart changed in place"], k.ReloadLines);

        await k.H.Exit("crasher", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Exited, await k.H.State("crasher"));
        Assert.Equal(1, k.H.Spawner.CountFor("crasher")); // "always" would have respawned it
    }

    [Fact]
    public async Task Update_ChangedAutorestartToAlways_RespawnsAfterAnExpectedExit()
    {
        await using var k = await RunningAsync(Db);
        k.Set(Db with { AutoRestart = AutoRestartPolicy.Always });
        await k.Update();
        await k.H.Exit("db", ExitStatus.Exited(0));
        Assert.Equal(2, k.H.Spawner.CountFor("db"));
        Assert.Equal(ProcessState.Starting, await k.H.State("db"));
    }

    [Fact]
    public async Task Update_ChangedStopwaitsecs_KeepsThePid_AndTheNextStopKillsAfterTheNewDelay()
    {
        await using var k = await RunningAsync(Db with { StopWaitSecs = 10 });
        var pid = await k.H.Pid("db");
        k.Set(Db with { StopWaitSecs = 2 });
        Assert.Equal(["db: updated process group"], await k.Update());
        Assert.Equal(pid, await k.H.Pid("db"));

        await k.H.Stop("db");
        await k.H.Advance(1.999);
        Assert.Single(k.H.Signaller.Sent);
        await k.H.Advance(0.001);
        Assert.Equal([(pid, Signals.SIGTERM, true), (pid, Signals.SIGKILL, true)], k.H.Signaller.Sent);
    }

    [Fact]
    public async Task Update_ShorterStartsecsWhileStarting_CountsFromTheSpawn()
    {
        await using var k = await RunningAsync(Db with { StartSecs = 10, Autostart = false });
        await k.H.Start("db");
        await k.H.Advance(3);
        k.Set(Db with { StartSecs = 2, Autostart = false });
        await k.Update();
        await k.H.Idle();
        Assert.Equal(ProcessState.Running, await k.H.State("db"));
        Assert.Contains("success: db entered RUNNING state, process has stayed up for > than 2 seconds (startsecs)", k.H.Log.Activity);
    }

    [Fact]
    public async Task Update_RemovedProgram_IsStoppedThenForgotten()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var crasherPid = await k.H.Pid("crasher");
        k.Set(Crasher);
        var update = await k.BeginUpdate();
        await k.H.Exit("db", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(["db: stopped", "db: removed process group"], Lines(await update.WaitAsync(TimeSpan.FromSeconds(30))));
        Assert.Equal(["crasher"], await k.Names());
        Assert.Equal(crasherPid, await k.H.Pid("crasher"));
        Assert.Equal(["reload: db stopped for removal", "reload: db removed", "reload: group db removed"], k.ReloadLines);
    }

    [Fact]
    public async Task Update_ProgramMovedIntoAGroup_KeepsItsPid()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var pids = await k.Pids();
        k.Set(Crasher with { GroupName = "backend" }, Db with { GroupName = "backend" });
        Assert.Equal(["crasher: removed process group", "db: removed process group", "backend: added process group"], await k.Update());
        var after = await k.Pids();
        Assert.Equal(pids["crasher"], after["backend:crasher"]);
        Assert.Equal(pids["db"], after["backend:db"]);
        Assert.Equal(["backend:crasher", "backend:db"], await k.Names());
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Contains("reload: db moved from group db to group backend", k.ReloadLines);

        // The moved process is still supervised under its new name: its exit is seen and the policy applies.
        await k.H.Exit("backend:crasher", ExitStatus.Exited(1));
        Assert.Equal(2, k.H.Spawner.CountFor("crasher"));
    }

    [Fact]
    public async Task Update_WithAGroupName_TouchesOnlyThatGroup()
    {
        await using var k = await RunningAsync(Crasher, Db);
        k.Set(Crasher with { AutoRestart = AutoRestartPolicy.Never }, Db with { StartRetries = 9 }, EngineHarness.Proc("cache"));
        Assert.Equal(["nosuch: ERROR (no such group)", "db: updated process group"], await k.Update("db", "nosuch"));
        Assert.Equal(["crasher", "db"], await k.Names());
        var reread = await k.Control.RereadAsync();
        Assert.Equal(["cache"], reread.Changes!.Added);
        Assert.Equal(["crasher"], reread.Changes.Changed);
    }

    [Fact]
    public async Task Update_WithNothingChanged_PrintsNothingAndTouchesNothing()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var pids = await k.Pids();
        Assert.Empty(await k.Update());
        Assert.Equal(pids, await k.Pids());
        Assert.Equal(["reload: no changes to apply"], k.ReloadLines);
    }

    [Fact]
    public async Task Update_BrokenConfig_LeavesEverythingAsItWasAndReportsTheLine()
    {
        await using var k = await RunningAsync(Crasher, Db);
        var pids = await k.Pids();
        var lastRead = k.Control.LastRead;
        k.Set(Crasher); // what a good file would do: remove db
        k.Broken = Cfg.Fails("[web]\ncmd = /bin/web\nnumprocs = many\n");

        var results = await k.Control.UpdateAsync([]);
        var error = Assert.Single(results);
        Assert.Equal(ErrorCode.CantReread, error.Error);
        Assert.StartsWith("/etc/tm/test.conf:3:", error.Message);

        var reread = await k.Control.RereadAsync();
        Assert.Null(reread.Changes);
        Assert.StartsWith("/etc/tm/test.conf:3:", Assert.Single(reread.Errors));

        Assert.Equal(pids, await k.Pids());
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Same(lastRead, k.Control.LastRead);
        Assert.Contains(k.ReloadLines, l => l.StartsWith("reload: configuration has errors, nothing changed: /etc/tm/test.conf:3:", StringComparison.Ordinal));

        // Fixed file: the update goes through.
        k.Broken = null;
        var fixedUpdate = await k.BeginUpdate();
        await k.H.Exit("db", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal(["db: stopped", "db: removed process group"], Lines(await fixedUpdate.WaitAsync(TimeSpan.FromSeconds(30))));
    }

    [Fact]
    public async Task Update_GroupPriorityAlone_UpdatesInPlace()
    {
        await using var k = await RunningAsync(Db with { GroupName = "backend" });
        var pid = await k.H.Pid("backend:db");
        k.Next = k.Next with { Groups = [k.Next.Groups[0] with { Priority = 5 }] };
        Assert.Equal(["backend: updated process group"], await k.Update());
        Assert.Equal(5, (await k.H.Engine.GetActiveGroupsAsync()).Single().Priority);
        Assert.Equal(pid, await k.H.Pid("backend:db"));
        Assert.Equal(["reload: group backend priority changed in place"], k.ReloadLines);
    }
}
