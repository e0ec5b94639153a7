// supervisorctl's reload vocabulary against a real daemon: reread, update, add, remove, reload, and a
// daemon-level change that only a restart of taskmasterd can apply. Output lines are supervisorctl's.
using static Taskmaster.Tests.EndToEnd.ReloadHarness;

namespace Taskmaster.Tests.EndToEnd;

public class ReloadCommandsEndToEndTests
{
    [Fact]
    public async Task RereadThenUpdate_PrintSupervisorctlLines_AndTouchOnlyWhatChanged()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("web") + Idle("worker") + Idle("old"));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("web", "worker", "old");

        var nothing = await daemon.CtlAsync("reread");
        Assert.Equal(["No config updates to processes"], nothing.Lines);

        daemon.WriteConfig(Idle("web", "environment = V=2") + Idle("worker") + Idle("fresh"));
        var reread = await daemon.CtlAsync("reread");
        Assert.Equal(0, reread.ExitCode);
        Assert.Equal(["fresh: available", "old: disappeared", "web: changed"], reread.Lines);
        // reread changes nothing that runs.
        Assert.Equal(before["web"].Pid, (await daemon.ProcessesAsync())["web"].Pid);

        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(["old: stopped", "old: removed process group", "web: stopped", "web: updated process group",
            "fresh: added process group"], update.Lines);
        var after = await daemon.WaitForRunningAsync("web", "worker", "fresh");
        Assert.Equal(["fresh", "web", "worker"], after.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(before["worker"].Pid, after["worker"].Pid);
        Assert.NotEqual(before["web"].Pid, after["web"].Pid);
        Assert.False(ProcFs.IsAlive(before["old"].Pid!.Value));
        Assert.Equal(["No config updates to processes"], (await daemon.CtlAsync("reread")).Lines);
        Assert.Equal(3, daemon.FixtureProcesses("idle_until_signalled.sh").Count);
    }

    [Fact]
    public async Task UpdateOneGroup_AppliesOnlyThatGroup_AndUnknownGroupIsAnError()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("a") + Idle("b"));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("a", "b");
        daemon.WriteConfig(Idle("a", "environment = V=2") + Idle("b", "environment = V=2"));

        var update = await daemon.CtlAsync("update", "a");
        Assert.Equal(["a: stopped", "a: updated process group"], update.Lines);
        var after = await daemon.WaitForRunningAsync("a", "b");
        Assert.NotEqual(before["a"].Pid, after["a"].Pid);
        Assert.Equal(before["b"].Pid, after["b"].Pid);
        Assert.Equal(["b: changed"], (await daemon.CtlAsync("reread")).Lines);

        var unknown = await daemon.CtlAsync("update", "nosuch");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal(["ERROR: no such group: nosuch"], unknown.Lines);
    }

    [Fact]
    public async Task AddAndRemove_WorkPerGroup_WithSupervisorctlErrors()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("base"));
        await daemon.StartAsync();
        var basePid = (await daemon.WaitForRunningAsync("base"))["base"].Pid;

        daemon.WriteConfig(Idle("base") + Idle("extra"));
        Assert.Equal(["extra: available"], (await daemon.CtlAsync("reread")).Lines);
        var add = await daemon.CtlAsync("add", "extra");
        ReloadHarness.Expect(add, 0, "extra: added process group");
        var extraPid = (await daemon.WaitForRunningAsync("extra"))["extra"].Pid!.Value;
        Assert.Equal(["ERROR: process group already active"], (await daemon.CtlAsync("add", "extra")).Lines);
        var addUnknown = await daemon.CtlAsync("add", "nosuch");
        ReloadHarness.Expect(addUnknown, 1, "ERROR: no such process/group: nosuch");

        var busy = await daemon.CtlAsync("remove", "extra");
        ReloadHarness.Expect(busy, 1, "ERROR: process/group still running: extra");
        Assert.Equal(["extra: stopped"], (await daemon.CtlAsync("stop", "extra")).Lines);
        var remove = await daemon.CtlAsync("remove", "extra");
        ReloadHarness.Expect(remove, 0, "extra: removed process group");

        var left = await daemon.ProcessesAsync();
        Assert.Equal(["base"], left.Keys);
        Assert.Equal(basePid, left["base"].Pid);
        Assert.False(ProcFs.IsAlive(extraPid));
        Assert.Equal(["extra: available"], (await daemon.CtlAsync("reread")).Lines);
    }

    [Fact]
    public async Task Reload_RestartsEveryProgram_DaemonStays()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("a") + Idle("b") + Idle("c"));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("a", "b", "c");
        daemon.WriteConfig(Idle("a") + Idle("b") + Idle("d"));

        var reload = await daemon.CtlAsync("reload");
        ReloadHarness.Expect(reload, 0, "Restarted taskmasterd");
        var after = await daemon.WaitForProcessesAsync(ps =>
            ps.Count == 3 && new[] { "a", "b", "d" }.All(n => ps.TryGetValue(n, out var p) && p.State == "RUNNING")
            && ps["a"].Pid != before["a"].Pid && ps["b"].Pid != before["b"].Pid);
        foreach (var n in new[] { "a", "b", "c" })
            Assert.False(ProcFs.IsAlive(before[n].Pid!.Value));
        Assert.False(daemon.Process.HasExited);
        Assert.Equal(3, daemon.FixtureProcesses("idle_until_signalled.sh").Count);
        await daemon.WaitForOutputAsync("reload: stopping every process to start again from the configuration file");
    }

    [Fact]
    public async Task SocketPathChanged_IsReportedAsNeedingADaemonRestart_ByRereadAndSigHup_NothingElseChanges()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("a"));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("a");
        var oldUrl = $"unix://{daemon.SocketPath}";

        // Only the server's socket moves; the client section still points at the running one.
        daemon.EditConfig($"file = {daemon.SocketPath}", $"file = {daemon.Dir}/other.sock");
        var reread = await daemon.CtlAsync("-s", oldUrl, "reread");
        Assert.Equal(0, reread.ExitCode);
        Assert.Equal(["No config updates to processes",
            "WARNING: [unix_http_server] file changed; needs a restart of taskmasterd"], reread.Lines);
        await daemon.WaitForOutputAsync("reload: [unix_http_server] file changed; needs a restart of taskmasterd");

        daemon.Signal(1);
        await daemon.WaitForOutputAsync("reload: no changes to apply");
        Assert.True(daemon.CountLines("needs a restart of taskmasterd") >= 2, daemon.Output);
        Assert.True(daemon.CanConnect());
        Assert.False(File.Exists(Path.Combine(daemon.Dir, "other.sock")));
        var after = await daemon.ProcessesAsync();
        Assert.Equal(before["a"].Pid, after["a"].Pid);
        Assert.Equal(before["a"].Start, after["a"].Start);
    }

    [Fact]
    public async Task RereadAndSigHup_OfADaemonStartedWithLogfileFlag_DoNotClaimTheLogfileChanged()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("a"));
        var elsewhere = Directory.CreateDirectory(Path.Combine(daemon.Dir, "elsewhere")).FullName;
        // Every flag differs from the file (-d and -u from its defaults). The paths are relative to where the daemon
        // starts, and -d moves it elsewhere before any reload.
        await daemon.StartWithAsync("env", ["--default-signal=INT,QUIT", "dotnet", DaemonUnderTest.DaemonDll, "-n",
            "-c", daemon.ConfigPath, "-l", "flag.log", "-j", "flag.pid", "-e", "debug", "-d", elsewhere,
            "-u", Environment.UserName], workingDirectory: daemon.Dir);
        var before = await daemon.WaitForRunningAsync("a");
        Assert.True(File.Exists(Path.Combine(daemon.Dir, "flag.log")));

        var reread = await daemon.CtlAsync("reread");
        Assert.Equal(0, reread.ExitCode);
        Assert.Equal(["No config updates to processes"], reread.Lines);

        daemon.Signal(1);
        await daemon.WaitForOutputAsync("reload: no changes to apply");
        Assert.DoesNotContain("needs a restart", daemon.Output);
        Assert.Equal(before["a"].Pid, (await daemon.ProcessesAsync())["a"].Pid);
    }
}
