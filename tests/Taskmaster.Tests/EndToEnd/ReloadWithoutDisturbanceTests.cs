// "Reload without disturbance", end to end: a real taskmasterd, its config edited on disk, then SIGHUP or
// `taskmasterctl update`. What did not change must keep its pid and start time; what changed in place must keep
// its pid and act on the new setting; what changed otherwise gets a new child.
using System.Globalization;

using static Taskmaster.Tests.EndToEnd.ReloadHarness;

namespace Taskmaster.Tests.EndToEnd;

public class ReloadWithoutDisturbanceTests
{
    [Fact]
    public async Task SigHup_OneChangedAmongFive_OthersKeepPidAndStartTime_ChangedGetsNewPid()
    {
        string[] names = ["p1", "p2", "p3", "p4", "p5"];
        await using var daemon = DaemonUnderTest.Create(string.Concat(names.Select(n => Idle(n))));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync(names);
        var statusBefore = await daemon.CtlAsync("status");

        daemon.EditConfig("{dir}/p3\n", "{dir}/p3 v2\n");
        daemon.Signal(1);

        var after = await daemon.WaitForProcessesAsync(ps =>
            ps["p3"].State == "RUNNING" && ps["p3"].Pid != before["p3"].Pid);
        await daemon.WaitForOutputAsync("reload: p3: updated process group");
        foreach (var n in names.Where(n => n != "p3"))
        {
            Assert.Equal("RUNNING", after[n].State);
            Assert.Equal(before[n].Pid, after[n].Pid);
            Assert.Equal(before[n].Start, after[n].Start);
            Assert.True(ProcFs.IsAlive(after[n].Pid!.Value));
        }
        Assert.False(ProcFs.IsAlive(before["p3"].Pid!.Value));

        // Uptime keeps counting from the original start: wait until it visibly moved past what it was.
        var statusAfter = await daemon.WaitForStatusAsync(lines =>
            ReloadHarness.UptimeOf(new(0, string.Join('\n', lines), ""), "p1") > ReloadHarness.UptimeOf(statusBefore, "p1"));
        foreach (var n in names.Where(n => n != "p3"))
            Assert.True(ReloadHarness.UptimeOf(statusAfter, n) >= ReloadHarness.UptimeOf(statusBefore, n), statusAfter.ToString());
        // The changed one counts from its new start (`status` shows whole seconds, so both may read 0:00:01: compare
        // the start times the API reports).
        Assert.True(after["p3"].Start > after["p1"].Start, $"p3 started {after["p3"].Start:O}, p1 {after["p1"].Start:O}");

        // The activity log file says what the reload did, and touched nobody else.
        var log = string.Join('\n', daemon.ActivityLog());
        Assert.Contains("received SIGHUP indicating reload request", log);
        Assert.Contains("reload: p3 stopped for a changed command", log);
        Assert.Contains($"spawned: 'p3' with pid {after["p3"].Pid}", log);
        foreach (var n in names.Where(n => n != "p3"))
        {
            Assert.DoesNotContain($"reload: {n}", log);
            Assert.Equal(1, daemon.CountLines($"spawned: '{n}'"));
        }
        Assert.Equal(5, daemon.FixtureProcesses("idle_until_signalled.sh").Count);
    }

    [Fact]
    public async Task Update_AutorestartTrueToFalse_KeepsPid_KilledChildIsNoLongerRestarted()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("w", "autorestart = true"));
        await daemon.StartAsync();
        var first = (await daemon.WaitForRunningAsync("w"))["w"].Pid!.Value;

        // Under the old policy a killed child comes back.
        ProcFs.Kill(first, 9);
        var second = (await daemon.WaitForProcessesAsync(ps => ps["w"].State == "RUNNING" && ps["w"].Pid != first))["w"].Pid!.Value;

        daemon.EditConfig("autorestart = true", "autorestart = false");
        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(["w: updated process group"], update.Lines);
        Assert.Equal(second, (await daemon.ProcessesAsync())["w"].Pid);
        await daemon.WaitForOutputAsync("reload: w autorestart changed in place");

        ProcFs.Kill(second, 9);
        await daemon.WaitForOutputAsync("exited: w (terminated by SIGKILL; not expected)");
        var after = await daemon.WaitForProcessesAsync(ps => ps["w"].State == "EXITED");
        Assert.Null(after["w"].Pid);
        // The exit was handled (EXITED is shown) and no respawn followed it.
        Assert.Equal(2, daemon.CountLines("spawned: 'w'"));
        Assert.Empty(daemon.FixtureProcesses("idle_until_signalled.sh"));
    }

    [Fact]
    public async Task Update_StopWaitSecsShortened_KeepsPid_StopKillsAfterTheNewStopWait()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:stubborn]
            command = {fixtures}/ignore_term.sh {dir}/stubborn
            startsecs = 0
            stopwaitsecs = 120
            """);
        await daemon.StartAsync();
        var pid = (await daemon.WaitForRunningAsync("stubborn"))["stubborn"].Pid!.Value;
        await WaitForFileLineAsync(Path.Combine(daemon.Dir, "stubborn-stdout---*.log"), "ready", daemon);

        daemon.EditConfig("stopwaitsecs = 120", "stopwaitsecs = 2");
        var update = await daemon.CtlAsync("update");
        Assert.Equal(["stubborn: updated process group"], update.Lines);
        Assert.Equal(pid, (await daemon.ProcessesAsync())["stubborn"].Pid);

        var requested = DateTime.Now;
        var stop = await daemon.CtlAsync("stop", "stubborn");
        Assert.Equal(["stubborn: stopped"], stop.Lines);
        var killing = await daemon.WaitForLineAsync($"killing 'stubborn' ({pid}) with SIGKILL");
        var waited = LogTime(killing) - requested;
        // The new 2 s, not the old 120 s (and not at once: TERM was sent first and ignored).
        Assert.InRange(waited.TotalSeconds, 1.5, 30);
        Assert.False(ProcFs.IsAlive(pid));
    }

    [Fact]
    public async Task Update_NumprocsFourToSixToFour_KeepsTheOriginalFourPids()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:w]
            command = {fixtures}/idle_until_signalled.sh {dir}/w%(process_num)d
            process_name = %(program_name)s_%(process_num)d
            numprocs = 4
            startsecs = 0
            """);
        await daemon.StartAsync();
        string[] four = ["w:w_0", "w:w_1", "w:w_2", "w:w_3"];
        string[] six = [.. four, "w:w_4", "w:w_5"];
        var original = await daemon.WaitForRunningAsync(four);
        Assert.Equal(4, original.Count);

        daemon.EditConfig("numprocs = 4", "numprocs = 6");
        var grow = await daemon.CtlAsync("update");
        Assert.Equal(["w: updated process group"], grow.Lines);
        var grown = await daemon.WaitForRunningAsync(six);
        Assert.Equal(6, grown.Count);
        foreach (var n in four) Assert.Equal(original[n].Pid, grown[n].Pid);
        Assert.Equal(6, daemon.FixtureProcesses("idle_until_signalled.sh").Count);

        daemon.EditConfig("numprocs = 6", "numprocs = 4");
        var shrink = await daemon.CtlAsync("update");
        Assert.Equal(["w: stopped", "w: updated process group"], shrink.Lines);
        var shrunk = await daemon.ProcessesAsync();
        Assert.Equal(four, shrunk.Keys.Order(StringComparer.Ordinal));
        foreach (var n in four)
        {
            Assert.Equal("RUNNING", shrunk[n].State);
            Assert.Equal(original[n].Pid, shrunk[n].Pid);
        }
        Assert.False(ProcFs.IsAlive(grown["w:w_4"].Pid!.Value));
        Assert.False(ProcFs.IsAlive(grown["w:w_5"].Pid!.Value));
        Assert.Equal(4, daemon.FixtureProcesses("idle_until_signalled.sh").Count);
        await daemon.WaitForOutputAsync("reload: w_5 removed");
    }

    [Fact]
    public async Task Update_WithSyntaxError_ReportsFileAndLine_ExitsOne_AndChangesNothing()
    {
        await using var daemon = DaemonUnderTest.Create(Idle("a") + Idle("b"));
        await daemon.StartAsync();
        var before = await daemon.WaitForRunningAsync("a", "b");

        // A changed command (would restart b) plus a broken line, the file's only error: nothing may apply.
        daemon.EditConfig("{dir}/b\n", "{dir}/b v2\n");
        File.AppendAllText(daemon.ConfigPath, "\n[program:c]\ncommand = sleep 1\nthis line is broken\n");
        var brokenLine = File.ReadAllLines(daemon.ConfigPath).ToList().IndexOf("this line is broken") + 1;

        var update = await daemon.CtlAsync("update");
        Assert.Equal(1, update.ExitCode);
        Assert.StartsWith($"ERROR: CANT_REREAD: {daemon.ConfigPath}:{brokenLine}:", update.Lines[0]);
        var reread = await daemon.CtlAsync("reread");
        Assert.Equal(1, reread.ExitCode);
        Assert.StartsWith($"ERROR: CANT_REREAD: {daemon.ConfigPath}:{brokenLine}:", reread.Lines[0]);

        daemon.Signal(1);
        await daemon.WaitForOutputAsync("received SIGHUP");
        await daemon.WaitForLineAsync("reload: configuration has errors, nothing changed:", $"{daemon.ConfigPath}:{brokenLine}:");
        // The SIGHUP's reload is over once its error is logged a third time (update, reread, SIGHUP).
        await daemon.WaitForProcessesAsync(_ => daemon.CountLines("reload: configuration has errors") >= 3);

        var after = await daemon.ProcessesAsync();
        Assert.Equal(["a", "b"], after.Keys.Order(StringComparer.Ordinal));
        foreach (var n in new[] { "a", "b" })
        {
            Assert.Equal("RUNNING", after[n].State);
            Assert.Equal(before[n].Pid, after[n].Pid);
            Assert.Equal(before[n].Start, after[n].Start);
        }
        Assert.DoesNotContain("stopped:", daemon.Output);
        Assert.DoesNotContain("reload: b", daemon.Output);
        Assert.Equal(2, daemon.FixtureProcesses("idle_until_signalled.sh").Count);
    }

    /// <summary>The timestamp an activity log line starts with ("2025-01-01 12:00:00,123 INFO ...", local time).</summary>
    internal static DateTime LogTime(string line) =>
        DateTime.ParseExact(line.TrimStart()[..23], "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);

    /// <param name="path">A path, or an AUTO log's pattern (<c>name-stdout---*.log</c>: its random part is the daemon's).</param>
    internal static async Task WaitForFileLineAsync(string path, string text, DaemonUnderTest daemon)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (Directory.GetFiles(Path.GetDirectoryName(path)!, Path.GetFileName(path)) is not [var file]
            || !File.ReadAllText(file).Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{path} never had '{text}'; dir: {string.Join(", ", Directory.GetFiles(daemon.Dir))}\n{daemon.Output}");
            await Task.Delay(50);
        }
    }
}
