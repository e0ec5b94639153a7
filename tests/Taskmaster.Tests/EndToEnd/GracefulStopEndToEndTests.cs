using System.Globalization;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// Issue 25 with real wrappers under the real daemon (the child subreaper of its programs): a stop, a restart and a
/// shutdown wait for everything the program started, not for its first process. Each test reads what the worker
/// wrote ("ready PID", "got TERM", "cleanup done") rather than trusting states alone; the worker's cleanup takes a
/// second, so a daemon that did not wait for it is caught reading the file right after the command returns.
/// </summary>
public sealed class GracefulStopEndToEndTests
{
    private const string Debug = "loglevel = debug"; // the stop signal's line is a debug one

    /// <summary>For the client's answers and the waits: the two-core machine is shared with other builds, and a load of
    /// 50 to 100 was seen while these tests ran (a JIT client then takes tens of seconds to start).</summary>
    private static readonly TimeSpan Generous = TimeSpan.FromMinutes(3);

    /// <summary>python3 from the system if there is one (not a pyenv shim, which is a bash script), else null.</summary>
    private static readonly string? Python = new[] { "/usr/bin/python3", "/usr/local/bin/python3" }.FirstOrDefault(File.Exists);

    /// <summary>The graceful worker writing to {dir}/w.out: the python one when python3 is installed, else the sh one.</summary>
    private static string Worker(int cleanupSecs = 1) => Python is { } python
        ? $"{python} {{fixtures}}/graceful_worker.py {{dir}}/w.out {cleanupSecs}"
        : $"{{fixtures}}/graceful_worker.sh {{dir}}/w.out {cleanupSecs}";

    private static string Program(string command, params string[] settings) =>
        $"[program:x]\ncommand = {command}\nstartsecs = 1\n{string.Join("\n", settings)}\n";

    [Fact]
    public Task Stop_BashCWithTwoCommands_WaitsForItsPythonWorkersCleanup() =>
        StopWaitsForTheWorker(Program($"bash -c \"{Worker()}; echo wrapper done\""));

    [Fact]
    public Task Stop_ShScriptThatExecsNothing_WaitsForItsWorkersCleanup() =>
        StopWaitsForTheWorker(Program($"sh {{fixtures}}/run_worker.sh {Worker()}"));

    [Fact]
    public Task Stop_ShellWorkerBehindShC_WaitsForItsCleanup() =>
        StopWaitsForTheWorker(Program("sh -c \"{fixtures}/graceful_worker.sh {dir}/w.out 1 & wait\""));

    [Fact]
    public async Task Stop_DoubleForkedWorker_ComesBackToTheDaemon_AndIsWaitedFor()
    {
        await using var daemon = DaemonUnderTest.Create(Program("{fixtures}/double_fork.sh {dir}/w.out 1"));
        await daemon.StartAsync();
        var worker = await ReadyWorker(daemon);
        // Its parent (a subshell) exits at once: as subreaper the daemon adopts it, init does not.
        await daemon.WaitUntilAsync(() => ProcFs.ParentPid(worker) == daemon.Pid, "the worker to be re-parented to the daemon", Generous);
        await StopAndCheckTheWorkerFinished(daemon, worker);
    }

    [Fact]
    public async Task Stop_ChildThatIgnoresTerm_IsKilledAtStopWaitSecs_AndNothingOfTheGroupIsLeft()
    {
        await using var daemon = DaemonUnderTest.Create(
            Program("{fixtures}/term_deaf_child.sh {dir}/w.out", "stopwaitsecs = 2"), Debug);
        await daemon.StartAsync();
        var child = await ReadyWorker(daemon);
        var pgid = ProcFs.ProcessGroup(child)!.Value;

        var stop = await Ctl(daemon, "stop", "x");

        Assert.Equal(0, stop.ExitCode);
        Assert.Equal(["x: stopped"], stop.Lines);
        Assert.Equal(["got TERM"], WorkerLines(daemon).Skip(1));
        Assert.True(ProcFs.IsDead(child), "the TERM-deaf child outlived the stop");
        Assert.Empty(ProcFs.GroupMembers(pgid));
        var waited = LogTime(daemon, "killing what x left in its process group") - LogTime(daemon, "killing x (pid");
        Assert.InRange(waited.TotalSeconds, 2 - 0.3, 2 + MachineLoad.LateMargin());
        await AssertStatus(daemon, "STOPPED");
    }

    [Fact]
    public async Task Stop_LeaderThatIgnoresTerm_WhileItsWorkerExits_LetsTheWorkerFinish_AndKillsTheLeaderAtStopWaitSecs()
    {
        await using var daemon = DaemonUnderTest.Create(
            Program("{fixtures}/term_deaf_leader.sh {dir}/w.out 1", "stopwaitsecs = 3"), Debug);
        await daemon.StartAsync();
        var worker = await ReadyWorker(daemon);

        var stop = await Ctl(daemon, "stop", "x");

        Assert.Equal(0, stop.ExitCode);
        var lines = WorkerLines(daemon);
        Assert.Contains("leader got TERM", lines);
        Assert.Equal(["got TERM", "cleanup done"], lines.Where(l => !l.StartsWith("leader", StringComparison.Ordinal)).Skip(1));
        Assert.True(ProcFs.IsDead(worker));
        var waited = LogTime(daemon, "killing 'x' (") - LogTime(daemon, "killing x (pid");
        Assert.InRange(waited.TotalSeconds, 3 - 0.3, 3 + MachineLoad.LateMargin());
        Assert.Contains("stopped: x (terminated by SIGKILL)", daemon.Output);
    }

    [Fact]
    public async Task Start_WhileStopping_AnswersAbnormalTerminationWithExit7_AsSupervisorctl_AndTheProgramEndsStopped()
    {
        // The child notes TERM and carries on: the stop lasts until the test kills it (stopwaitsecs is far away).
        await using var daemon = DaemonUnderTest.Create(Program("{fixtures}/term_deaf_child.sh {dir}/w.out", "stopwaitsecs = 120"));
        await daemon.StartAsync();
        var child = await ReadyWorker(daemon);

        var stopping = Ctl(daemon, "stop", "x");
        await daemon.WaitForOutputAsync("waiting for x to stop", Generous);
        var start = await Ctl(daemon, "start", "x");

        Assert.Equal(["x: ERROR (abnormal termination)"], start.Lines);
        Assert.Equal(7, start.ExitCode);
        Assert.Contains("process 'x' already running", daemon.Output);
        Assert.False(stopping.IsCompleted);
        await AssertStatus(daemon, "STOPPING");

        ProcFs.Kill(child, 9); // the last of the group goes: the stop is over
        var stop = await stopping;
        Assert.Equal(["x: stopped"], stop.Lines);
        Assert.Equal(0, stop.ExitCode);
        await AssertStatus(daemon, "STOPPED");
    }

    [Fact]
    public async Task Exit_LeavingAWorker_StopsItGracefullyBeforeTheRespawn()
    {
        // The wrapper backgrounds the worker and crashes after 1.5 s; autorestart brings it back.
        await using var daemon = DaemonUnderTest.Create(Program(
            "sh -c \"{fixtures}/graceful_worker.sh {dir}/w.out 1 & sleep 1.5; exit 3\"", "autorestart = true"));
        await daemon.StartAsync();
        var first = await ReadyWorker(daemon, running: false);

        // The second run's worker says "ready" only after the first one finished its cleanup.
        await daemon.WaitUntilAsync(() => WorkerLines(daemon).Count(l => l.StartsWith("ready ", StringComparison.Ordinal)) >= 2,
            "the respawned worker", Generous);
        Assert.Equal([$"ready {first}", "got TERM", "cleanup done"], WorkerLines(daemon).Take(3));
        // The worker's file is read directly, the daemon's log through its stdout pipe: on a loaded machine the pipe's
        // reader may still be behind the file.
        await daemon.WaitForOutputAsync("stopping what x left in its process group");
        var told = daemon.Output.Split('\n').Where(l => l.Contains("stopping what x left in its process group")).ToList();
        var aboutFirst = Assert.Single(told, l => PidsIn(l).Contains(first)); // said once for that exit, naming it
        Assert.Contains("with SIGTERM, SIGKILL after 10 seconds (stopwaitsecs)", aboutFirst);
        Assert.True(ProcFs.IsDead(first));
    }

    [Fact]
    public async Task Shutdown_WaitsForTheWrappedWorkersCleanup_BeforeTheDaemonExits()
    {
        await using var daemon = DaemonUnderTest.Create(Program($"bash -c \"{Worker()}; echo wrapper done\""));
        await daemon.StartAsync();
        var worker = await ReadyWorker(daemon);

        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync(Generous));

        Assert.Equal([$"ready {worker}", "got TERM", "cleanup done"], WorkerLines(daemon));
        Assert.True(ProcFs.IsDead(worker));
    }

    [Fact]
    public async Task Restart_OfAWrapper_StartsTheNewWorkerOnlyAfterTheOldOneFinished()
    {
        await using var daemon = DaemonUnderTest.Create(Program($"sh {{fixtures}}/run_worker.sh {Worker()}"));
        await daemon.StartAsync();
        var first = await ReadyWorker(daemon);

        var restart = await Ctl(daemon, "restart", "x");

        Assert.Equal(["x: stopped", "x: started"], restart.Lines);
        await daemon.WaitUntilAsync(() => WorkerLines(daemon).Count >= 4, "the new worker's ready line", Generous);
        var lines = WorkerLines(daemon);
        Assert.Equal([$"ready {first}", "got TERM", "cleanup done"], lines.Take(3));
        Assert.StartsWith("ready ", lines[3]);
    }

    /// <summary>taskmasterctl against the daemon with a generous deadline; a timeout says what the daemon had done by
    /// then, so a starved client can be told from a daemon that did not answer.</summary>
    private static async Task<CtlResult> Ctl(DaemonUnderTest daemon, params string[] args)
    {
        var started = DateTime.UtcNow;
        try
        {
            return await ControlHost.RunAsync(["-c", daemon.ConfigPath, .. args], timeout: Generous);
        }
        catch (OperationCanceledException e)
        {
            throw new TimeoutException($"taskmasterctl {string.Join(' ', args)} gave no answer in {(DateTime.UtcNow - started).TotalSeconds:F0} s " +
                $"(load {MachineLoad.OneMinute}); daemon log:\n{DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath)}", e);
        }
    }

    private static async Task StopWaitsForTheWorker(string programs)
    {
        await using var daemon = DaemonUnderTest.Create(programs);
        await daemon.StartAsync();
        var worker = await ReadyWorker(daemon);
        await StopAndCheckTheWorkerFinished(daemon, worker);
    }

    private static async Task StopAndCheckTheWorkerFinished(DaemonUnderTest daemon, int worker)
    {
        var pgid = ProcFs.ProcessGroup(worker)!.Value;

        var stop = await Ctl(daemon, "stop", "x");

        // Read at once: a stop that returned before the worker's second of cleanup would show "got TERM" alone.
        Assert.Equal([$"ready {worker}", "got TERM", "cleanup done"], WorkerLines(daemon));
        Assert.Equal(0, stop.ExitCode);
        Assert.Equal(["x: stopped"], stop.Lines);
        Assert.True(ProcFs.IsDead(worker), "the worker outlived the stop");
        Assert.Empty(ProcFs.GroupMembers(pgid));
        Assert.DoesNotContain("SIGKILL", daemon.Output);
        await AssertStatus(daemon, "STOPPED");
    }

    /// <summary>Waits for the program to be RUNNING (unless <paramref name="running"/> is false: a program that restarts
    /// is RUNNING only briefly) and its worker to have written "ready PID"; returns that pid.</summary>
    private static async Task<int> ReadyWorker(DaemonUnderTest daemon, bool running = true)
    {
        if (running)
            await daemon.WaitUntilAsync(() => Ctl(daemon, "status").Result.Lines.Any(l => l.Contains(" RUNNING ")),
                "the program to be RUNNING", Generous);
        await daemon.WaitUntilAsync(() => WorkerLines(daemon).FirstOrDefault()?.StartsWith("ready ", StringComparison.Ordinal) == true,
            "the worker's ready line", Generous);
        return int.Parse(WorkerLines(daemon)[0]["ready ".Length..], CultureInfo.InvariantCulture);
    }

    /// <summary>The pids a "(pids 1, 2)" part of a log line names.</summary>
    private static List<int> PidsIn(string line)
    {
        var start = line.IndexOf("(pids ", StringComparison.Ordinal);
        if (start < 0) return [];
        var list = line[(start + "(pids ".Length)..line.IndexOf(')', start)];
        return [.. list.Split(", ").Select(p => int.TryParse(p, CultureInfo.InvariantCulture, out var pid) ? pid : 0)];
    }

    private static List<string> WorkerLines(DaemonUnderTest daemon) =>
        [.. DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, "w.out")).Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task AssertStatus(DaemonUnderTest daemon, string state)
    {
        var status = await Ctl(daemon, "status", "x");
        Assert.Equal(state, Assert.Single(status.Lines).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
    }

    /// <summary>The time stamp of the first activity-log line holding <paramref name="text"/>.</summary>
    private static DateTime LogTime(DaemonUnderTest daemon, string text)
    {
        var line = DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath).Split('\n').FirstOrDefault(l => l.Contains(text, StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"no log line with '{text}':\n{daemon.Output}");
        return DateTime.ParseExact(line[..23], "yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture);
    }
}
