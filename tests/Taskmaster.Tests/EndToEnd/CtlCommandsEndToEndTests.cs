// Every taskmasterctl command against a real taskmasterd, through the real binary, checking supervisorctl's
// wording and exit codes (compared side by side with supervisorctl 4.2.5; differences are noted where kept).
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

public sealed class CtlCommandsEndToEndTests
{
    private const string Programs = """
        [program:sleeper]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        [program:hup]
        command = {fixtures}/echo_each_hup.sh
        startsecs = 0

        [group:grp]
        programs = sleeper,hup

        [program:quick]
        command = {fixtures}/exit_with.sh 3
        startsecs = 2
        startretries = 0
        autostart = false

        [program:missing]
        command = {dir}/no-such-command
        startretries = 0
        autostart = false

        [program:oneshot]
        command = {fixtures}/exit_with.sh 0
        startsecs = 0
        autorestart = false
        """;

    private static async Task<DaemonUnderTest> StartedDaemonAsync()
    {
        var daemon = DaemonUnderTest.Create(Programs);
        try
        {
            await daemon.StartAsync();
            await daemon.WaitForStatusAsync(lines =>
                lines.Count(l => l.StartsWith("grp:", StringComparison.Ordinal) && l.Contains("RUNNING")) == 2
                && lines.Any(l => l.StartsWith("oneshot ", StringComparison.Ordinal) && l.Contains("EXITED")));
            return daemon;
        }
        catch
        {
            await daemon.DisposeAsync();
            throw;
        }
    }

    private static int PidOf(CtlResult status, string name) =>
        int.Parse(status.Lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split("pid ")[1].Split(',')[0]);

    [Fact]
    public async Task Status_AllNamesGroupsAndUnknown_GiveSupervisorctlLinesAndExitCodes()
    {
        await using var daemon = await StartedDaemonAsync();

        var all = await daemon.CtlAsync("status");
        Assert.Equal(3, all.ExitCode); // oneshot EXITED, quick/missing STOPPED
        Assert.Equal(["grp:hup", "grp:sleeper", "missing", "oneshot", "quick"], all.Lines.Select(l => l.Split(' ')[0]));
        Assert.Matches(@"^grp:sleeper {22}RUNNING {3}pid \d+, uptime \d+:\d\d:\d\d$", all.Lines[1]);
        Assert.Matches(@"^missing {26}STOPPED {3}Not started$", all.Lines[2]);

        var group = await daemon.CtlAsync("status", "grp:*");
        Assert.Equal(0, group.ExitCode);
        Assert.Equal(2, group.Lines.Length);

        var one = await daemon.CtlAsync("status", "grp:sleeper");
        Assert.Equal(0, one.ExitCode);
        Assert.Single(one.Lines);

        var stopped = await daemon.CtlAsync("status", "grp:sleeper", "quick");
        Assert.Equal(3, stopped.ExitCode);

        var unknown = await daemon.CtlAsync("status", "nosuch");
        Assert.Equal(4, unknown.ExitCode);
        Assert.Equal("nosuch: ERROR (no such process)", unknown.Stdout.Trim());

        var unknownGroup = await daemon.CtlAsync("status", "nogroup:*");
        Assert.Equal(4, unknownGroup.ExitCode);
        Assert.Equal("nogroup: ERROR (no such group)", unknownGroup.Stdout.Trim());
    }

    [Fact]
    public async Task StartStopRestart_ReportEachOutcome_WithSupervisorctlExitCodes()
    {
        await using var daemon = await StartedDaemonAsync();

        var already = await daemon.CtlAsync("start", "grp:sleeper");
        Assert.Equal("grp:sleeper: ERROR (already started)", already.Stdout.Trim());
        Assert.Equal(0, already.ExitCode);

        // Checked before any spawn, as supervisord's startProcess does: the program stays STOPPED.
        var noFile = await daemon.CtlAsync("start", "missing");
        Assert.Equal("missing: ERROR (no such file)", noFile.Stdout.Trim());
        Assert.Equal(1, noFile.ExitCode);

        // Exits during startsecs: supervisorctl 4.2.5 says "spawn error" (its spawnerr is "Exited too quickly").
        var spawnError = await daemon.CtlAsync("start", "quick");
        Assert.Equal("quick: ERROR (spawn error)", spawnError.Stdout.Trim());
        Assert.Equal(7, spawnError.ExitCode);

        var unknown = await daemon.CtlAsync("start", "nosuch");
        Assert.Equal("nosuch: ERROR (no such process)", unknown.Stdout.Trim());
        Assert.Equal(1, unknown.ExitCode);

        var before = PidOf(await daemon.CtlAsync("status"), "grp:sleeper");
        var stop = await daemon.CtlAsync("stop", "grp:sleeper");
        Assert.Equal("grp:sleeper: stopped", stop.Stdout.Trim());
        Assert.Equal(0, stop.ExitCode);
        Assert.False(ProcFs.IsAlive(before));
        Assert.Contains("STOPPED", (await daemon.CtlAsync("status", "grp:sleeper")).Stdout);

        var notRunning = await daemon.CtlAsync("stop", "grp:sleeper");
        Assert.Equal("grp:sleeper: ERROR (not running)", notRunning.Stdout.Trim());
        Assert.Equal(0, notRunning.ExitCode); // supervisorctl ignores NOT_RUNNING for stop

        var start = await daemon.CtlAsync("start", "grp:sleeper");
        Assert.Equal("grp:sleeper: started", start.Stdout.Trim());
        Assert.Equal(0, start.ExitCode);

        var hupBefore = PidOf(await daemon.CtlAsync("status"), "grp:hup");
        var restart = await daemon.CtlAsync("restart", "grp:hup");
        Assert.Equal(["grp:hup: stopped", "grp:hup: started"], restart.Lines);
        Assert.Equal(0, restart.ExitCode);
        Assert.NotEqual(hupBefore, PidOf(await daemon.CtlAsync("status"), "grp:hup"));

        var stopGroup = await daemon.CtlAsync("stop", "grp:*");
        Assert.Equal(["grp:hup: stopped", "grp:sleeper: stopped"], stopGroup.Lines.Order(StringComparer.Ordinal));
        var startAll = await daemon.CtlAsync("start", "all");
        Assert.Contains("grp:hup: started", startAll.Lines);
        Assert.Contains("grp:sleeper: started", startAll.Lines);
    }

    [Fact]
    public async Task BadArguments_StartWithoutNameIs2_OtherUsageErrorsAre1_AsSupervisorctl()
    {
        await using var daemon = await StartedDaemonAsync();

        var start = await daemon.CtlAsync("start");
        Assert.Equal(2, start.ExitCode);
        Assert.StartsWith("Error: start requires a process name", start.Stdout);

        foreach (var args in (string[][])[["stop"], ["restart"], ["signal"], ["signal", "HUP"], ["clear"], ["tail"], ["version", "x"]])
        {
            var r = await daemon.CtlAsync(args);
            Assert.True(r.ExitCode == 1, $"{string.Join(' ', args)}: {r}");
            Assert.StartsWith("Error: ", r.Stdout);
        }

        var channel = await daemon.CtlAsync("tail", "grp:hup", "foo");
        Assert.Equal("Error: bad channel 'foo'", channel.Stdout.Trim());
        Assert.Equal(1, channel.ExitCode);

        var unknownCommand = await daemon.CtlAsync("frobnicate");
        Assert.Equal("*** Unknown syntax: frobnicate", unknownCommand.Stdout.Trim());
        Assert.Equal(1, unknownCommand.ExitCode);

        var badOption = await daemon.CtlAsync("--frobnicate", "status");
        Assert.Equal(2, badOption.ExitCode);
    }

    [Fact]
    public async Task SignalPidTailClear_WorkOnRealProcesses()
    {
        await using var daemon = await StartedDaemonAsync();
        var status = await daemon.CtlAsync("status");
        var hupPid = PidOf(status, "grp:hup");

        var signal = await daemon.CtlAsync("signal", "HUP", "grp:hup");
        Assert.Equal("grp:hup: signalled", signal.Stdout.Trim());
        Assert.Equal(0, signal.ExitCode);
        await WaitForTailAsync(daemon, ["tail", "grp:hup"], "got HUP");

        var badSignal = await daemon.CtlAsync("signal", "FROB", "grp:hup");
        Assert.Equal("grp:hup: ERROR (bad signal name)", badSignal.Stdout.Trim());
        Assert.Equal(1, badSignal.ExitCode);

        Assert.Equal(daemon.Pid.ToString(), (await daemon.CtlAsync("pid")).Stdout.Trim());
        Assert.Equal(hupPid.ToString(), (await daemon.CtlAsync("pid", "grp:hup")).Stdout.Trim());
        var all = await daemon.CtlAsync("pid", "all");
        Assert.Equal(5, all.Lines.Length);
        Assert.Contains(hupPid.ToString(), all.Lines);
        var notRunning = await daemon.CtlAsync("pid", "quick");
        Assert.Equal(("0", 7), (notRunning.Stdout.Trim(), notRunning.ExitCode));
        var noSuch = await daemon.CtlAsync("pid", "nosuch");
        Assert.Equal(("No such process nosuch", 1), (noSuch.Stdout.Trim(), noSuch.ExitCode));

        var lastBytes = await daemon.CtlAsync("tail", "-8", "grp:hup");
        Assert.Equal("got HUP\n", lastBytes.Stdout.TrimEnd('\n') + "\n");
        await WaitForTailAsync(daemon, ["tail", "grp:hup", "stderr"], "err-line");
        var unknown = await daemon.CtlAsync("tail", "nosuch");
        Assert.Equal(("nosuch: ERROR (no such process name)", 1), (unknown.Stdout.Trim(), unknown.ExitCode));

        var clear = await daemon.CtlAsync("clear", "grp:hup");
        Assert.Equal("grp:hup: cleared", clear.Stdout.Trim());
        Assert.DoesNotContain("got HUP", (await daemon.CtlAsync("tail", "grp:hup")).Stdout);

        var maintail = await daemon.CtlAsync("maintail", "-2000");
        Assert.Contains("spawned: 'hup' with pid", maintail.Stdout);
    }

    private static async Task WaitForTailAsync(DaemonUnderTest daemon, string[] args, string text)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        CtlResult r;
        while (!(r = await daemon.CtlAsync(args)).Stdout.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{string.Join(' ', args)} never showed '{text}':\n{r}");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task TailFollow_PrintsNewOutput_AndEndsOnSigint()
    {
        await using var daemon = await StartedDaemonAsync();
        using var tail = CtlRunningProcess.Start(daemon.ConfigPath, ["tail", "-f", "grp:hup"]);
        await tail.WaitForOutputAsync("==> Press Ctrl-C to exit <==");
        await tail.WaitForOutputAsync("ready");
        // New output arrives while following.
        await daemon.CtlAsync("signal", "HUP", "grp:hup");
        await tail.WaitForOutputAsync("got HUP");
        tail.Signal(2);
        Assert.Equal(0, await tail.WaitForExitAsync());

        using var maintail = CtlRunningProcess.Start(daemon.ConfigPath, ["maintail", "-f"]);
        await maintail.WaitForOutputAsync("==> Press Ctrl-C to exit <==");
        await daemon.CtlAsync("stop", "grp:sleeper");
        await maintail.WaitForOutputAsync("stopped: sleeper");
        maintail.Signal(2);
        Assert.Equal(0, await maintail.WaitForExitAsync());
    }

    [Fact]
    public async Task Fg_FollowsOutputOfBothStreams_AndEndsOnCtrlCOrEof()
    {
        await using var daemon = await StartedDaemonAsync();
        using var fg = CtlRunningProcess.Start(daemon.ConfigPath, ["fg", "grp:hup"]);
        await fg.WaitForOutputAsync("==> Press Ctrl-C to exit <==");
        await fg.WaitForOutputAsync("err-line"); // stderr is followed too
        await daemon.CtlAsync("signal", "HUP", "grp:hup");
        await fg.WaitForOutputAsync("got HUP");
        fg.Signal(2);
        Assert.Equal(0, await fg.WaitForExitAsync());
        Assert.Contains("Exiting foreground", fg.Output);

        using var eof = CtlRunningProcess.Start(daemon.ConfigPath, ["fg", "grp:hup"], closeStdin: true);
        Assert.Equal(0, await eof.WaitForExitAsync());
        Assert.Contains("Exiting foreground", eof.Output);

        var notRunning = await daemon.CtlAsync("fg", "quick");
        Assert.Equal(("ERROR: process not running", 1), (notRunning.Stdout.Trim(), notRunning.ExitCode));
        Assert.Contains("typed lines are sent to the process's stdin", (await daemon.CtlAsync("help", "fg")).Stdout);
    }

    [Fact]
    public async Task AvailListRereadUpdateAddRemove_FollowConfigChanges()
    {
        await using var daemon = await StartedDaemonAsync();
        var avail = await daemon.CtlAsync("avail");
        Assert.Matches(@"(?m)^grp:sleeper {22}in use {4}auto {6}999:999$", avail.Stdout);
        Assert.Matches(@"(?m)^quick {28}in use {4}manual {4}999:999$", avail.Stdout);
        var list = await daemon.CtlAsync("list");
        Assert.Equal(0, list.ExitCode);
        Assert.Contains(list.Lines, l => l.StartsWith("sleeper (grp)", StringComparison.Ordinal) && l.Contains("1/1") && l.Contains("RUNNING"));

        Assert.Equal("No config updates to processes", (await daemon.CtlAsync("reread")).Stdout.Trim());

        // oneshot disappears, fresh appears, grp is unchanged.
        daemon.WriteConfig(Programs.Replace("[program:oneshot]", "[program:fresh]"));
        var reread = await daemon.CtlAsync("reread");
        Assert.Equal(["fresh: available", "oneshot: disappeared"], reread.Lines);
        // supervisorctl's avail shows the file as reread: fresh not yet in use, oneshot gone although the daemon
        // still manages it until the update (status knows it: 3 for EXITED, not 4 for an unknown name).
        var rereadAvail = await daemon.CtlAsync("avail");
        Assert.Matches(@"(?m)^fresh {28}avail ", rereadAvail.Stdout);
        Assert.DoesNotContain("oneshot", rereadAvail.Stdout);
        Assert.Equal(3, (await daemon.CtlAsync("status", "oneshot")).ExitCode);

        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        Assert.Equal(["oneshot: stopped", "oneshot: removed process group", "fresh: added process group"], update.Lines);
        Assert.Equal(4, (await daemon.CtlAsync("status", "oneshot")).ExitCode);

        var remove = await daemon.CtlAsync("remove", "fresh");
        Assert.Equal(("fresh: removed process group", 0), (remove.Stdout.Trim(), remove.ExitCode));
        var add = await daemon.CtlAsync("add", "fresh");
        Assert.Equal(("fresh: added process group", 0), (add.Stdout.Trim(), add.ExitCode));
        var again = await daemon.CtlAsync("add", "fresh");
        Assert.Equal(("ERROR: process group already active", 0), (again.Stdout.Trim(), again.ExitCode));
        var running = await daemon.CtlAsync("remove", "grp");
        Assert.Equal(("ERROR: process/group still running: grp", 1), (running.Stdout.Trim(), running.ExitCode));
        var unknown = await daemon.CtlAsync("add", "nosuch");
        Assert.Equal(("ERROR: no such process/group: nosuch", 1), (unknown.Stdout.Trim(), unknown.ExitCode));
    }

    [Fact]
    public async Task Reload_OneShot_RestartsProgramsWithoutAsking()
    {
        await using var daemon = await StartedDaemonAsync();
        var before = PidOf(await daemon.CtlAsync("status"), "grp:sleeper");
        var reload = await daemon.CtlAsync("reload");
        Assert.Equal(("Restarted taskmasterd", 0), (reload.Stdout.Trim(), reload.ExitCode));
        var after = await daemon.WaitForStatusAsync(lines =>
            lines.Any(l => l.StartsWith("grp:sleeper ", StringComparison.Ordinal) && l.Contains("RUNNING") && !l.Contains($"pid {before},")));
        Assert.NotEqual(before, PidOf(after, "grp:sleeper"));
        Assert.False(ProcFs.IsAlive(before));
    }

    [Fact]
    public async Task Shutdown_DaemonExits_NoProcessLeft_ThenCtlCannotReachIt()
    {
        await using var daemon = await StartedDaemonAsync();
        var status = await daemon.CtlAsync("status");
        var pids = new[] { PidOf(status, "grp:sleeper"), PidOf(status, "grp:hup") };

        var shutdown = await daemon.CtlAsync("shutdown");
        Assert.Equal(("Shut down", 0), (shutdown.Stdout.Trim(), shutdown.ExitCode));
        Assert.Equal(0, await daemon.WaitForExitAsync());
        foreach (var pid in pids) Assert.Empty(ProcFs.GroupMembers(pid));

        var after = await daemon.CtlAsync("status");
        Assert.Equal(($"unix://{daemon.SocketPath} no such file", 4), (after.Stdout.Trim(), after.ExitCode));
        var again = await daemon.CtlAsync("shutdown");
        Assert.Equal(($"ERROR: unix://{daemon.SocketPath} no such file (already shut down?)", 1), (again.Stdout.Trim(), again.ExitCode));
    }

    [Fact]
    public async Task VersionAndHelp_AnswerLikeSupervisorctl()
    {
        await using var daemon = await StartedDaemonAsync();
        var version = await daemon.CtlAsync("version");
        Assert.Equal(0, version.ExitCode);
        Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout.Trim());

        var help = await daemon.CtlAsync("help");
        Assert.Equal(0, help.ExitCode);
        Assert.Contains("default commands (type help <topic>):", help.Stdout);
        Assert.All(help.Lines.Skip(2), l => Assert.True(l.Length <= 79, l));
        foreach (var command in (string[])["add", "avail", "fg", "maintail", "reload", "shutdown", "tail", "version"])
            Assert.Contains(command, help.Stdout);
        Assert.StartsWith("stop <name>\t\tStop a process", (await daemon.CtlAsync("help", "stop")).Stdout);
        Assert.Equal("*** No help on frob", (await daemon.CtlAsync("help", "frob")).Stdout.Trim());
    }
}
