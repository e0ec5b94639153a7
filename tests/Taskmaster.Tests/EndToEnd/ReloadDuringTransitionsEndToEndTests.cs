// `update` while processes are between states: STARTING (long startsecs), BACKOFF (a failing command) and
// STOPPING (a TERM-ignoring child with a long stopwaitsecs, its `stop` still waiting). Whatever the update does,
// afterwards every live child of ours is in status and no instance has two children.
namespace Taskmaster.Tests.EndToEnd;

public class ReloadDuringTransitionsEndToEndTests
{
    private static string Config(int stopWaitSecs) => $$"""
        [program:starting]
        command = {fixtures}/idle_until_signalled.sh {dir}/starting
        startsecs = 60

        [program:backoff]
        command = {fixtures}/exit_with.sh 3 {dir}/backoff
        startsecs = 1
        startretries = 100

        [program:stopping]
        command = {fixtures}/ignore_term.sh {dir}/stopping
        startsecs = 0
        stopwaitsecs = {{stopWaitSecs}}

        [program:steady]
        command = {fixtures}/idle_until_signalled.sh {dir}/steady
        startsecs = 0
        """;

    /// <summary>Brings the four programs into STARTING, BACKOFF, STOPPING and RUNNING at once; returns the pending `stop`.</summary>
    private static async Task<(Dictionary<string, Taskmaster.Control.ProcessInfo> Before, Task<Taskmaster.Tests.Control.CtlResult> Stop)>
        IntoTransitionsAsync(DaemonUnderTest daemon)
    {
        await daemon.StartAsync();
        await daemon.WaitForRunningAsync("stopping", "steady");
        // The TERM trap must be in place before the stop, or TERM simply ends it.
        await ReloadWithoutDisturbanceTests.WaitForFileLineAsync(Path.Combine(daemon.Dir, "stopping-stdout---*.log"), "ready", daemon);
        var stop = daemon.CtlAsync("stop", "stopping");
        var before = await daemon.WaitForProcessesAsync(ps =>
            ps["starting"].State == "STARTING" && ps["backoff"].State == "BACKOFF"
            && ps["stopping"].State == "STOPPING" && ps["steady"].State == "RUNNING");
        return (before, stop);
    }

    [Fact]
    public async Task Update_RestartingProcessesCaughtStartingBackingOffAndStopping_LosesNoneAndDuplicatesNone()
    {
        // Long enough that the stop is still in flight when the update comes (status calls are slow on a busy
        // machine), short enough for the update to wait it out: the update itself must SIGKILL it.
        await using var daemon = DaemonUnderTest.Create(Config(stopWaitSecs: 30));
        var (before, stop) = await IntoTransitionsAsync(daemon);

        daemon.EditConfig("{dir}/starting\n", "{dir}/starting v2\n");
        daemon.EditConfig("exit_with.sh 3 {dir}/backoff", "idle_until_signalled.sh {dir}/backoff");
        daemon.EditConfig("{dir}/stopping\n", "{dir}/stopping v2\n");
        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(["backoff: stopped", "backoff: updated process group", "starting: stopped", "starting: updated process group",
            "stopping: stopped", "stopping: updated process group"], update.Lines.Order(StringComparer.Ordinal));
        await stop;

        var after = await daemon.WaitForProcessesAsync(ps =>
            ps["starting"].State == "STARTING" && ps["backoff"].State == "RUNNING"
            && ps["stopping"].State == "RUNNING" && ps["steady"].State == "RUNNING");
        Assert.NotEqual(before["starting"].Pid, after["starting"].Pid);
        Assert.NotEqual(before["stopping"].Pid, after["stopping"].Pid);
        Assert.Equal(before["steady"].Pid, after["steady"].Pid);
        Assert.False(ProcFs.IsAlive(before["starting"].Pid!.Value));
        Assert.False(ProcFs.IsAlive(before["stopping"].Pid!.Value));
        await AssertOneChildPerInstanceAsync(daemon, "starting", "backoff", "stopping", "steady");
    }

    [Fact]
    public async Task Update_InPlaceChangesOnProcessesStartingBackingOffAndStopping_KeepPidsAndTakeEffect()
    {
        await using var daemon = DaemonUnderTest.Create(Config(stopWaitSecs: 120));
        var (before, stop) = await IntoTransitionsAsync(daemon);

        daemon.EditConfig("startsecs = 60", "startsecs = 1");
        daemon.EditConfig("startretries = 100", "startretries = 1");
        daemon.EditConfig("stopwaitsecs = 120", "stopwaitsecs = 1");
        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(["backoff: updated process group", "starting: updated process group", "stopping: updated process group"],
            update.Lines.Order(StringComparer.Ordinal));

        // STARTING counts its new startsecs from its spawn; BACKOFF gives up at its next failure; the pending stop
        // kills after the new stopwaitsecs (long before the old 120 s), and its `stop` returns.
        var stopped = await stop.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(["stopping: stopped"], stopped.Lines);
        var after = await daemon.WaitForProcessesAsync(ps =>
            ps["starting"].State == "RUNNING" && ps["backoff"].State == "FATAL" && ps["stopping"].State == "STOPPED");
        Assert.Equal(before["starting"].Pid, after["starting"].Pid);
        Assert.Equal(before["steady"].Pid, after["steady"].Pid);
        Assert.False(ProcFs.IsAlive(before["stopping"].Pid!.Value));
        await daemon.WaitForOutputAsync($"killing 'stopping' ({before["stopping"].Pid}) with SIGKILL");
        await AssertOneChildPerInstanceAsync(daemon, "starting", "steady");
    }

    /// <summary>Every live fixture process of this daemon is a pid status shows, and each instance has exactly one.</summary>
    private static async Task AssertOneChildPerInstanceAsync(DaemonUnderTest daemon, params string[] live)
    {
        var status = await daemon.ProcessesAsync();
        var known = status.Values.Where(p => p.Pid is not null).Select(p => p.Pid!.Value).ToHashSet();
        var found = daemon.FixtureProcesses("idle_until_signalled.sh").Concat(daemon.FixtureProcesses("ignore_term.sh")).ToList();
        var report = string.Join("\n", found.Select(p => $"{p}: {ProcFs.CommandLine(p)}"))
            + "\nstatus: " + string.Join(", ", status.Values.Select(p => $"{p.FullName} {p.State} {p.Pid}"));
        Assert.All(found, pid => Assert.True(known.Contains(pid), $"pid {pid} is not in status:\n{report}"));
        foreach (var name in live)
        {
            var copies = found.Count(pid => ProcFs.CommandLine(pid).Contains($"{daemon.Dir}/{name}", StringComparison.Ordinal));
            Assert.True(copies == 1, $"{name} has {copies} live children:\n{report}");
        }
        Assert.Equal(live.Length, found.Count);
    }
}
