using System.Diagnostics;
using Taskmaster.Tests.EndToEnd;
using static Taskmaster.Tests.Reliability.ReliabilityTools;

namespace Taskmaster.Tests.Reliability;

/// <summary>DESIGN §5 "never crashes or hangs": children and an OS that misbehave, against the real daemon.</summary>
public class HostileConditionsTests
{
    [Fact]
    public async Task ChildClosingItsStdout_StaysRunning_AndStopsCleanly()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:mute]
            command = {fixtures}/close_output_then_sleep.sh
            startsecs = 1
            """);
        await daemon.StartAsync();
        var pid = (await WaitAllRunningAsync(daemon, ["mute"]))["mute"];
        // Still the same child a while after both pipes hit EOF: EOF is not an exit.
        await daemon.WaitForOutputAsync("success: mute entered RUNNING state");
        Assert.Equal(pid, (await WaitAllRunningAsync(daemon, ["mute"]))["mute"]);

        var stop = await daemon.CtlAsync("stop", "mute");
        Assert.Contains("mute: stopped", stop.Stdout);
        Assert.Empty(ProcFs.GroupMembers(pid));
    }

    [Fact]
    public async Task ChildWithTwoHundredGrandchildren_StopKillsTheWholeGroup_DaemonStillServes()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:storm]
            command = {fixtures}/fork_sleepers.sh 200
            startsecs = 0
            stopwaitsecs = 5
            """);
        await daemon.StartAsync();
        var pid = (await WaitAllRunningAsync(daemon, ["storm"]))["storm"];
        await WaitUntilAsync(() => ProcFs.GroupMembers(pid).Count == 201, "200 grandchildren exist");

        var stop = await daemon.CtlAsync("stop", "storm");
        Assert.Contains("storm: stopped", stop.Stdout);
        await WaitUntilAsync(() => ProcFs.GroupMembers(pid).Count == 0, "the whole group is gone");
        Assert.Equal(0, (await daemon.CtlAsync("pid")).ExitCode);
    }

    [Fact]
    public async Task LeaderExitingLeavingTwoHundredGrandchildren_ShutdownLeavesNoneOfThem()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:storm]
            command = {fixtures}/fork_sleepers.sh 200 exit
            startsecs = 0
            autorestart = false
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("storm ") && l.Contains("EXITED")));
        var pid = int.Parse(daemon.Output.Split("spawned: 'storm' with pid ")[1].Split('\n')[0].Trim());

        await WaitUntilAsync(() => ProcFs.GroupMembers(pid).Count == 0, "no grandchild outlives the exited leader");
        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    // An unknown user= is refused with the file, before the daemon starts (HostChecksTests, the conformance tests).
    [Theory]
    [InlineData("command = {dir}/no-such-program", "", "bad: ERROR (no such file)")]
    [InlineData("command = {dir}/not-executable.sh", "", "bad: ERROR (file is not executable)")]
    public async Task UnspawnableProgram_IsFatalWithTheReason_DaemonUnaffected(string command, string extra, string startAnswer)
    {
        await using var daemon = DaemonUnderTest.Create($"""
            [program:bad]
            {command}
            {extra}
            startretries = 0

            [program:good]
            command = {"{fixtures}"}/sleep_forever.sh
            startsecs = 0
            """);
        File.WriteAllText(Path.Combine(daemon.Dir, "not-executable.sh"), "#!/bin/sh\nexit 0\n");
        await daemon.StartAsync();

        var status = await daemon.WaitForStatusAsync(lines =>
            lines.Any(l => l.StartsWith("bad ") && l.Contains("FATAL")) && lines.Any(l => l.StartsWith("good ") && l.Contains("RUNNING")));
        var bad = status.Lines.Single(l => l.StartsWith("bad "));
        Assert.Matches("(no such file|not executable|permission denied|can't find|user)", bad.ToLowerInvariant());
        // A manual start checks the command first, as supervisord's startProcess does: nothing is spawned.
        var start = await daemon.CtlAsync("start", "bad");
        Assert.Contains(startAnswer, start.Stdout);
        Assert.Equal(1, start.ExitCode);
        Assert.Contains("good ", (await daemon.CtlAsync("status", "good")).Stdout);
    }

    [Fact]
    public async Task StopOfASigstoppedChild_StillEndsIt()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:frozen]
            command = {fixtures}/ignore_term.sh
            startsecs = 0
            stopwaitsecs = 1
            """);
        await daemon.StartAsync();
        var pid = (await WaitAllRunningAsync(daemon, ["frozen"]))["frozen"];
        ProcFs.Kill(pid, 19); // SIGSTOP
        await WaitUntilAsync(() => ProcFs.State(pid) == 'T', "the child is stopped");

        var stop = await daemon.CtlAsync("stop", "frozen");
        Assert.Contains("frozen: stopped", stop.Stdout);
        Assert.Empty(ProcFs.GroupMembers(pid));
    }

    [Fact]
    public async Task DescriptorLimitReachedDuringSpawn_ErrorsReported_DaemonKeepsWorking()
    {
        var programs = string.Concat(Enumerable.Range(0, 60).Select(i => $"""

            [program:p{i}]
            command = {"{fixtures}"}/sleep_forever.sh
            startsecs = 0
            startretries = 0

            """));
        await using var daemon = DaemonUnderTest.Create(programs, daemonSection: "minfds = 1");
        daemon.Launcher = ["prlimit", "--nofile=250:250"];
        await daemon.StartAsync();

        // Every program ends up RUNNING or FATAL (a spawn error), and the daemon still answers.
        var status = await daemon.WaitForStatusAsync(lines =>
            lines.Length == 60 && lines.All(l => l.Contains(" RUNNING ") || l.Contains(" FATAL ")));
        var fatal = status.Lines.Where(l => l.Contains(" FATAL ")).ToList();
        Assert.NotEmpty(fatal);
        Assert.Contains(status.Lines, l => l.Contains(" RUNNING "));
        Assert.Contains(fatal, l => l.Contains("too many open files", StringComparison.OrdinalIgnoreCase));

        // The reserve kept the control plane alive: commands still work after the limit was hit.
        Assert.Contains("stopped", (await daemon.CtlAsync("stop", RunningPids(status.Lines).Keys.First())).Stdout);
    }

    [Fact]
    public async Task LogDirectoryFull_DaemonKeepsSupervising_ReportsOnce_ResumesWhenSpaceReturns()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:writer]
            command = {fixtures}/line_every_10ms.sh
            startsecs = 0
            stdout_logfile = {dir}/logs/writer.log
            """);
        var logs = Path.Combine(daemon.Dir, "logs");
        Directory.CreateDirectory(logs);
        Assert.Equal(0, Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", logs));
        try
        {
            await daemon.StartAsync();
            var logFile = Path.Combine(logs, "writer.log");
            await WaitUntilAsync(() => File.Exists(logFile) && new FileInfo(logFile).Length > 0, "the writer logs");

            var filler = Path.Combine(logs, "filler");
            Run("dd", "if=/dev/zero", $"of={filler}", "bs=64k", "count=100"); // fails with ENOSPC once full: intended
            await daemon.WaitForOutputAsync("cannot write log file", TimeSpan.FromSeconds(30));
            var sizeWhenFull = new FileInfo(logFile).Length;

            // Reported once while the episode lasts, however much the child keeps writing.
            for (var i = 0; i < 3; i++) await WaitAllRunningAsync(daemon, ["writer"]);
            Assert.True(Count(daemon.Output, "cannot write log file") == 1, daemon.Output);
            // Still supervising: a restart works while the disk is full (a new child, a new file: a new episode).
            Assert.Contains("writer: started", (await daemon.CtlAsync("restart", "writer")).Stdout);
            var reports = Count(daemon.Output, "cannot write log file");

            File.Delete(filler);
            await daemon.WaitForOutputAsync("is writable again", TimeSpan.FromSeconds(30));
            await WaitUntilAsync(() => new FileInfo(logFile).Length > sizeWhenFull, "the log grows again");
            Assert.Equal(reports, Count(daemon.Output, "cannot write log file"));
        }
        finally
        {
            await daemon.CtlAsync("stop", "all");
            Run("umount", "-l", logs);
        }
    }

    private static int Count(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;

    private static int Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true };
        using var p = Process.Start(psi)!;
        p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        return p.ExitCode;
    }
}
