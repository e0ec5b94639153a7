using Taskmaster.Config;
using Taskmaster.Names;
using Taskmaster.Posix;
using Taskmaster.Spawning;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>Control operations: ordering, names, results of start with wait, status text, environment.</summary>
public class SupervisorOperationTests
{
    private static ProcessConfig P(string name, int priority = 999, string? group = null) =>
        EngineHarness.Proc(name, group) with { Priority = priority, Autostart = false };

    private static ProcessConfig[] Numprocs(string program, int count) =>
        [.. Enumerable.Range(0, count).Select(i => EngineHarness.Proc($"{program}_{i:00}", program) with { ProcessNum = i, Autostart = false })];

    [Fact]
    public async Task Autostart_SpawnsInAscendingPriority_AndSkipsAutostartFalse()
    {
        await using var h = await EngineHarness.RunAsync(
            EngineHarness.Proc("c") with { Priority = 30 }, EngineHarness.Proc("a") with { Priority = 10 },
            EngineHarness.Proc("b") with { Priority = 20 }, EngineHarness.Proc("manual") with { Priority = 1, Autostart = false });
        Assert.Equal(["a", "b", "c"], h.Spawner.SpawnedNames);
        Assert.Equal(ProcessState.Stopped, await h.State("manual"));
        Assert.Equal(["a", "b", "c"], Assert.Single(h.Logs.Prepared)); // log files made ahead, in spawn order
    }

    [Fact]
    public async Task StartAll_SpawnsEachChildAheadOfRecordingThePrevious_InPriorityOrder()
    {
        await using var h = await EngineHarness.RunAsync(P("c", 30), P("a", 10), P("b", 20));
        var results = await h.Engine.StartAsync(["all"], wait: false);
        Assert.Equal(["a", "b", "c"], results.Select(r => r.Name));
        Assert.Equal(["a", "b", "c"], h.Spawner.SpawnedNames);
        // Each child's pid is the one its own spawn returned, although the next spawn was already made.
        Assert.Equal((1001, 1002, 1003), (await h.Pid("a"), await h.Pid("b"), await h.Pid("c")));
        Assert.Empty(h.Signaller.Sent);
    }

    [Fact]
    public async Task StartAll_CutShortByAFault_KillsTheChildSpawnedAheadForAStartThatNeverCame()
    {
        await using var h = await EngineHarness.RunAsync(P("a", 10), P("b", 20), P("c", 30));
        h.Log.ThrowOn = "spawned: 'a'";
        await Assert.ThrowsAsync<InvalidOperationException>(() => h.Engine.StartAsync(["all"], wait: false));
        h.Log.ThrowOn = null;
        await h.Idle();

        Assert.Equal(["a", "b"], h.Spawner.SpawnedNames); // b was begun while a was still being recorded
        Assert.Equal([(1002, Signals.SIGKILL, true)], h.Signaller.Sent);
        Assert.Contains("'b' was spawned ahead (pid 1002) but its start never came: killed", h.Log.Activity);
        Assert.Equal(ProcessState.Stopped, await h.State("b"));
        Assert.Equal(ProcessState.Stopped, await h.State("c"));

        var again = await h.Engine.StartAsync(["b"], wait: false);
        Assert.True(again.Single().Ok);
        Assert.Equal(1003, await h.Pid("b"));
    }

    [Fact]
    public async Task StopAll_StopsHighestPriorityFirst_AndWaitsForEachBatchToBeReaped()
    {
        await using var h = await EngineHarness.RunAsync(P("a", 10), P("b1", 20), P("b2", 20), P("c", 30));
        await h.Engine.StartAsync(["all"], wait: false);
        Assert.Equal(["a", "b1", "b2", "c"], h.Spawner.SpawnedNames);
        Assert.Equal(["a", "b1", "b2", "c"], h.Logs.Prepared.Last());
        var pids = new Dictionary<string, int>();
        foreach (var n in new[] { "a", "b1", "b2", "c" }) pids[n] = await h.Pid(n);
        List<int> Signalled() => [.. h.Signaller.Sent.Select(s => s.Pid)];

        var stopping = h.Engine.StopAsync(["all"], wait: true);
        await h.Idle();
        Assert.Equal([pids["c"]], Signalled());
        await h.Exit("c", ExitStatus.Exited(0));
        Assert.Equal([pids["c"], pids["b1"], pids["b2"]], Signalled()); // one priority at once
        await h.Exit("b2", ExitStatus.Exited(0));
        Assert.Equal(3, Signalled().Count); // b1 still up: a waits
        await h.Exit("b1", ExitStatus.Exited(0));
        Assert.Equal([pids["c"], pids["b1"], pids["b2"], pids["a"]], Signalled());
        await h.Exit("a", ExitStatus.Exited(0));

        var results = await stopping.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(["c", "b1", "b2", "a"], results.Select(r => r.Name));
        Assert.All(results, r => Assert.True(r.Ok));
    }

    [Fact]
    public async Task Numprocs_InstancesAreAddressedByGroupWildcardAndFullName()
    {
        await using var h = await EngineHarness.RunAsync(Numprocs("web", 3));

        Assert.Equal(["web:web_00", "web:web_01", "web:web_02"], (await h.Engine.StartAsync(["web:*"], false)).Select(r => r.Name));
        Assert.Equal(["web:web_01"], (await h.Engine.StopAsync(["web:web_01"], false)).Select(r => r.Name));
        await h.Exit("web:web_01", ExitStatus.Exited(0));
        // The wildcard skips those already running.
        Assert.Equal([new OperationResult("web:web_01")], await h.Engine.StartAsync(["web:*"], false));
        Assert.Equal([new OperationResult("web:web_00", ErrorCode.AlreadyStarted)], await h.Engine.StartAsync(["web:web_00"], false));

        var request = h.Spawner.Requests.First();
        Assert.Contains(KeyValuePair.Create("SUPERVISOR_PROCESS_NAME", "web_00"), request.Environment);
        Assert.Contains(KeyValuePair.Create("SUPERVISOR_GROUP_NAME", "web"), request.Environment);
    }

    [Fact]
    public async Task Groups_ProcessesAreNamedGroupColonName_AndBareProgramNameIsBad()
    {
        await using var h = await EngineHarness.RunAsync(P("a", group: "x"), P("b", group: "x"), P("solo"));

        Assert.Equal([new OperationResult("x:a")], await h.Engine.StartAsync(["x:a"], false));
        Assert.Equal([new OperationResult("a", ErrorCode.BadName) { Unknown = NameScope.Process }], await h.Engine.StartAsync(["a"], false));
        Assert.Equal([new OperationResult("x:b")], await h.Engine.StartAsync(["x:*"], false));
        Assert.Equal([new OperationResult("solo")], await h.Engine.StartAsync(["solo"], false));
        var status = await h.Engine.GetProcessesAsync();
        Assert.Equal(["solo", "x:a", "x:b"], status.Select(s => s.FullName));
    }

    [Theory]
    [InlineData("nope", NameScope.Process)]
    [InlineData("nope:*", NameScope.Group)]
    [InlineData("nope:", NameScope.Group)]
    [InlineData("web:nope", NameScope.Process)]
    [InlineData("nope:web", NameScope.Process)]
    public async Task UnknownNames_YieldBadName_SayingWhetherAGroupOrAProcessWasMeant(string name, NameScope unknown)
    {
        await using var h = await EngineHarness.RunAsync(P("web"));
        OperationResult[] expected = [new(name, ErrorCode.BadName) { Unknown = unknown }];
        Assert.Equal(expected, await h.Engine.StartAsync([name], false));
        Assert.Equal(expected, await h.Engine.StopAsync([name], true));
        Assert.Equal(expected, await h.Engine.ClearLogsAsync([name]));
        Assert.Empty(h.Spawner.Requests);
    }

    [Fact]
    public async Task All_StartsOnlyWhatIsNotRunning_StopsOnlyWhatIsRunning()
    {
        await using var h = await EngineHarness.RunAsync(P("a", 1), P("b", 2));
        await h.Start("a");
        Assert.Equal([new OperationResult("b")], await h.Engine.StartAsync(["all"], false));
        await h.Stop("a");
        await h.Exit("a", ExitStatus.Exited(0));
        Assert.Equal([new OperationResult("b")], await h.Engine.StopAsync(["all"], false));
    }

    [Fact]
    public async Task StopWithWait_WhenAnotherClientRestartsAStoppedOneOfTheBatch_StillCompletes()
    {
        // Found by the chaos test: the stop waited for "a" to be STOPPED again after another client had started it.
        await using var h = await EngineHarness.RunAsync(P("a") with { StartSecs = 0 }, P("b") with { StartSecs = 0 });
        await h.Engine.StartAsync(["a", "b"], wait: true);
        var stopping = h.Engine.StopAsync(["a", "b"], wait: true);
        await h.Idle();
        await h.Exit("a", ExitStatus.Killed(15));
        Assert.Equal(ProcessState.Stopped, await h.State("a"));
        Assert.Null((await h.Start("a")).Error);
        await h.Exit("b", ExitStatus.Killed(15));
        Assert.Equal([new OperationResult("a"), new OperationResult("b")], await stopping.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task StartWithWait_CompletesOnlyWhenRunning()
    {
        await using var h = await EngineHarness.RunAsync(P("web") with { StartSecs = 5 });
        var start = h.Engine.StartAsync(["web"], wait: true);
        await h.Idle(); // spawned at t=0, before the clock moves
        await h.Advance(4.9);
        Assert.False(start.IsCompleted);
        await h.Advance(0.1);
        Assert.Equal([new OperationResult("web")], await start.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task StartWithWait_WhenChildExitsWhileStarting_ReportsSpawnError_AsSupervisord()
    {
        await using var h = await EngineHarness.RunAsync(P("web"));
        var start = h.Engine.StartAsync(["web"], wait: true);
        await h.Idle();
        await h.Exit("web", ExitStatus.Exited(3));
        var result = (await start.WaitAsync(TimeSpan.FromSeconds(30))).Single();
        Assert.Equal(ErrorCode.SpawnError, result.Error);
        Assert.Equal("Exited too quickly (process log may have details)", result.Message);
    }

    [Fact]
    public async Task StartWithWait_WhenSpawnFails_ReportsSpawnErrorWithTheReason()
    {
        await using var h = await EngineHarness.RunAsync(P("web"));
        h.Spawner.FailWith["web"] = "bad directory '/nope'";
        var result = await h.Start("web", wait: true);
        Assert.Equal(new OperationResult("web", ErrorCode.SpawnError, "bad directory '/nope'"), result);
    }

    [Fact]
    public async Task StartWithoutWait_ReturnsOnceSpawned()
    {
        await using var h = await EngineHarness.RunAsync(P("web"));
        Assert.True((await h.Start("web")).Ok);
        Assert.Equal(ProcessState.Starting, await h.State("web"));
        Assert.Equal(ErrorCode.AlreadyStarted, (await h.Start("web")).Error);
    }

    [Fact]
    public async Task Restart_StopsWaitsThenStarts()
    {
        await using var h = await EngineHarness.RunAsync(P("web"));
        await h.Start("web");
        var first = await h.Pid("web");
        var restart = h.Engine.RestartAsync(["web"], wait: false);
        await h.Idle();
        Assert.False(restart.IsCompleted);
        await h.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        Assert.Equal([new OperationResult("web")], await restart.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.NotEqual(first, await h.Pid("web"));
    }

    [Fact]
    public async Task ClearLogs_ClearsEachNamedProcess()
    {
        await using var h = await EngineHarness.RunAsync(Numprocs("web", 2));
        Assert.Equal(2, (await h.Engine.ClearLogsAsync(["web:*"])).Count(r => r.Ok));
        Assert.Equal(["web_00", "web_01"], h.Logs.Cleared);
    }

    [Fact]
    public async Task Spawn_HandsPipesToChildLogsAndBuildsTheRequestFromConfig()
    {
        await using var h = await EngineHarness.RunAsync(EngineHarness.Config(
            [P("web") with
            {
                Directory = "/srv", Umask = 0x12, RedirectStderr = true,
                Environment = [KeyValuePair.Create("A", "program"), KeyValuePair.Create("SUPERVISOR_ENABLED", "yes")],
            }],
            [KeyValuePair.Create("A", "daemon"), KeyValuePair.Create("B", "daemon")]),
            new Dictionary<string, string> { ["PATH"] = "/bin", ["A"] = "base" });
        await h.Start("web");

        var r = h.Spawner.Requests.Single();
        Assert.Equal(["/bin/web"], r.Argv.ToArray());
        Assert.Equal(("/srv", 0x12, OutputRouting.Pipe, OutputRouting.SameAsStdout), (r.WorkingDirectory, r.Umask, r.Stdout, r.Stderr));
        var env = r.Environment.ToDictionary();
        Assert.Equal(r.Environment.Length, env.Count); // no duplicate keys
        Assert.Equal(("/bin", "program", "daemon", "yes", "web", "web"),
            (env["PATH"], env["A"], env["B"], env["SUPERVISOR_ENABLED"], env["SUPERVISOR_PROCESS_NAME"], env["SUPERVISOR_GROUP_NAME"]));
        Assert.Equal(["web"], h.Logs.Attached);
    }

    [Fact]
    public async Task Description_IsWordedLikeSupervisorctlStatus()
    {
        await using var h = await EngineHarness.RunAsync(P("web"), P("never"));
        Assert.Equal("Not started", (await h.Get("never")).Description);

        await h.Start("web");
        var pid = await h.Pid("web");
        await h.Advance(62);
        Assert.Equal($"pid {pid}, uptime 0:01:02", (await h.Get("web")).Description);
        await h.Advance(86400 * 2 + 3600);
        Assert.Equal($"pid {pid}, uptime 2 days, 1:01:02", (await h.Get("web")).Description);

        await h.Stop("web");
        await h.Exit("web", ExitStatus.Killed(Signals.SIGTERM));
        // Started 2024-03-05 14:00 UTC; stopped 2 days, 1:01:02 later.
        Assert.Equal("Mar 07 03:01 PM", (await h.Get("web")).Description);
    }

    [Fact]
    public void Uptime_UsesPythonTimedeltaForm()
    {
        var start = DateTimeOffset.UnixEpoch;
        Assert.Equal("0:00:00", ProcessDescription.Uptime(start, start));
        Assert.Equal("1 day, 0:00:05", ProcessDescription.Uptime(start, start.AddDays(1).AddSeconds(5)));
        Assert.Equal("10:00:00", ProcessDescription.Uptime(start, start.AddHours(10)));
        Assert.Equal("0:00:00", ProcessDescription.Uptime(start, start.AddSeconds(-5)));
    }
}
