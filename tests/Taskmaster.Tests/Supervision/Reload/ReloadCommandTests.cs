using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Posix;
using Taskmaster.Spawning;
using Taskmaster.Supervision;
using Taskmaster.Tests.Config;
using static Taskmaster.Tests.Supervision.Reload.ReloadKit;

namespace Taskmaster.Tests.Supervision.Reload;

/// <summary>reread, add, remove and reload through the controller.</summary>
public class ReloadCommandTests
{
    private static ProcessConfig Web => EngineHarness.Proc("web");
    private static ProcessConfig Db => EngineHarness.Proc("db");

    [Fact]
    public async Task Reread_ReportsAvailableChangedDisappeared_AndTouchesNothing()
    {
        await using var k = await RunningAsync(Web, Db, EngineHarness.Proc("old"));
        var pids = await k.Pids();
        k.Set(Web with { StopWaitSecs = 3 }, Db, EngineHarness.Proc("new"));
        var reread = await k.Control.RereadAsync();
        Assert.Empty(reread.Errors);
        Assert.Equal(["new"], reread.Changes!.Added);
        Assert.Equal(["web"], reread.Changes.Changed);
        Assert.Equal(["old"], reread.Changes.Removed);
        Assert.Empty(reread.RestartRequired);
        Assert.Equal(pids, await k.Pids());
        Assert.Empty(k.H.Signaller.Sent);
        Assert.Same(k.Next, k.Control.LastRead);
    }

    [Fact]
    public async Task Reread_DaemonSettingChange_IsReportedAsNeedingARestartAndLogged()
    {
        await using var k = await RunningAsync(Web);
        k.Next = k.Next with
        {
            Daemon = k.Next.Daemon with { Pidfile = "/run/other.pid" },
            UnixHttpServer = new UnixHttpServerSettings { File = "/run/tm.sock" },
        };
        var reread = await k.Control.RereadAsync();
        Assert.True(reread.Changes!.IsEmpty);
        Assert.Equal(["[taskmasterd] pidfile changed; needs a restart of taskmasterd", "[unix_http_server] changed; needs a restart of taskmasterd"],
            reread.RestartRequired);
        Assert.Contains("reload: [taskmasterd] pidfile changed; needs a restart of taskmasterd", k.ReloadLines);
    }

    [Fact]
    public async Task Remove_WhileRunning_IsRefused_ThenAddBringsItBackFromTheLastRead()
    {
        await using var k = await RunningAsync(Web, Db);
        Assert.Equal("db: ERROR (process group still running)", Line(await k.Control.RemoveGroupAsync("db")));
        Assert.Equal(ErrorCode.StillRunning, (await k.Control.RemoveGroupAsync("db")).Error);
        Assert.Equal("nosuch: ERROR (no such group)", Line(await k.Control.RemoveGroupAsync("nosuch")));

        await k.H.Stop("db");
        await k.H.Exit("db", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal("db: removed process group", Line(await k.Control.RemoveGroupAsync("db")));
        Assert.Equal(["web"], await k.Names());

        Assert.Equal("db: added process group", Line(await k.Control.AddGroupAsync("db")));
        Assert.Equal(ProcessState.Starting, await k.H.State("db"));
        Assert.Equal("db: ERROR (already added)", Line(await k.Control.AddGroupAsync("db")));
        Assert.Equal(ErrorCode.AlreadyAdded, (await k.Control.AddGroupAsync("db")).Error);
        Assert.Equal("nosuch: ERROR (no such group)", Line(await k.Control.AddGroupAsync("nosuch")));
        Assert.Contains("reload: group db removed", k.ReloadLines);
        Assert.Contains("reload: group db added", k.ReloadLines);
    }

    [Fact]
    public async Task Add_UsesTheConfigurationLastReread_NotTheFileAsItIsNow()
    {
        await using var k = await RunningAsync(Web);
        k.Set(Web, Db);
        Assert.Equal("db: ERROR (no such group)", Line(await k.Control.AddGroupAsync("db"))); // not reread yet
        await k.Control.RereadAsync();
        Assert.Equal("db: added process group", Line(await k.Control.AddGroupAsync("db")));
    }

    [Fact]
    public async Task Reload_StopsEverythingThenStartsTheNewConfigurationFresh()
    {
        await using var k = await RunningAsync(Web, Db with { Priority = 1 });
        var old = await k.Pids();
        k.Set(Web, EngineHarness.Proc("cache"));
        var reload = k.Control.ReloadAsync();
        await k.H.Idle();
        // Reverse priority: web (999) first, db (1) only once web is down.
        Assert.Equal([old["web"]!.Value], k.H.Signaller.Sent.Select(s => s.Pid));
        await k.H.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal([old["web"]!.Value, old["db"]!.Value], k.H.Signaller.Sent.Select(s => s.Pid));
        await k.H.Exit("db", ExitStatus.Killed(Signals.SIGTERM));
        await reload.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(["cache", "web"], await k.Names());
        Assert.NotEqual(old["web"], await k.H.Pid("web")); // everything is fresh, changed or not
        Assert.Equal(ProcessState.Starting, await k.H.State("cache"));
        Assert.Contains("reload: stopping every process to start again from the configuration file", k.ReloadLines);
    }

    [Fact]
    public async Task Reload_BrokenConfig_ThrowsAndStopsNothing()
    {
        await using var k = await RunningAsync(Web, Db);
        var pids = await k.Pids();
        k.Broken = Cfg.Fails("[web]\nnumprocs = 2\n");
        var e = await Assert.ThrowsAsync<ConfigException>(() => k.Control.ReloadAsync());
        Assert.NotEmpty(e.Errors);
        Assert.Equal(pids, await k.Pids());
        Assert.Empty(k.H.Signaller.Sent);
    }

    private static string Line(GroupUpdateResult r) => $"{r.Group}: {GroupUpdateWording.Of(r)}";
}
