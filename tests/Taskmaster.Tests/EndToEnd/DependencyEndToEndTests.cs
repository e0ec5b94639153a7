using System.Text.RegularExpressions;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// depends_on with real processes: each program writes when it started (tests/fixtures/stamp_start.sh), so the order
/// is measured from the programs' own clocks, never from the daemon's log or a sleep.
/// </summary>
public partial class DependencyEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static long Stamp(DaemonUnderTest daemon, string file) =>
        long.Parse(File.ReadAllText(Path.Combine(daemon.Dir, file)).Trim());

    private static bool AllRunning(string[] lines, params string[] names) =>
        names.All(n => lines.Any(l => l.StartsWith(n + " ") && l.Contains(" RUNNING ")));

    [Fact]
    public async Task ThreeLevelChain_StartsEachAfterItsDependencyIsRunning_AndStopsDependentsFirst()
    {
        // Priorities say the opposite order: only the dependencies can make it base, mid, top. mid uses the
        // dependent-startup plugin's spelling, top the Go port's.
        await using var daemon = DaemonUnderTest.Create("""
            [program:top]
            command = {fixtures}/stamp_start.sh {dir} top
            priority = 1
            depends_on = mid
            stopwaitsecs = 30

            [program:mid]
            command = {fixtures}/stamp_start.sh {dir} mid
            priority = 2
            dependent_startup_wait_for = base:running
            stopwaitsecs = 30

            [program:base]
            command = {fixtures}/stamp_start.sh {dir} base
            priority = 3
            stopwaitsecs = 30
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => AllRunning(l, "top", "mid", "base"), Long);

        await daemon.WaitForOutputAsync("success: top entered RUNNING"); // the log is read from a pipe: let it catch up
        // A dependent is spawned startsecs (1 s) after its dependency: its own first instruction comes later.
        var (b, m, t) = (Stamp(daemon, "base.start"), Stamp(daemon, "mid.start"), Stamp(daemon, "top.start"));
        Assert.True(b < m && m < t, $"start order base {b}, mid {m}, top {t}");
        Assert.True(daemon.Output.IndexOf("success: base entered RUNNING", StringComparison.Ordinal)
            < daemon.Output.IndexOf("spawned: 'mid'", StringComparison.Ordinal), "mid was spawned before base was RUNNING");
        Assert.True(daemon.Output.IndexOf("success: mid entered RUNNING", StringComparison.Ordinal)
            < daemon.Output.IndexOf("spawned: 'top'", StringComparison.Ordinal), "top was spawned before mid was RUNNING");

        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync(Long));
        var stopped = StoppedLine().Matches(daemon.Output).Select(x => x.Groups[1].Value).ToList();
        Assert.Equal(["top", "mid", "base"], stopped);
    }

    [Fact]
    public async Task Conditions_StartedRunningHealthyCompleted_EachReleasesItsDependentAtItsMoment()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:svc]
            command = {fixtures}/stamp_start.sh {dir} svc
            startsecs = 2

            [program:on_started]
            command = {fixtures}/stamp_start.sh {dir} on_started
            depends_on = svc:started

            [program:on_healthy]
            command = {fixtures}/stamp_start.sh {dir} on_healthy
            depends_on = svc:process_healthy

            [program:job]
            command = {fixtures}/stamp_start.sh {dir} job 0
            startsecs = 0
            autorestart = false

            [program:on_job]
            command = {fixtures}/stamp_start.sh {dir} on_job
            depends_on = job:completed_successfully

            [program:failing_job]
            command = {fixtures}/stamp_start.sh {dir} failing_job 3
            startsecs = 0
            autorestart = false

            [program:on_any_end]
            command = {fixtures}/stamp_start.sh {dir} on_any_end
            depends_on = failing_job:completed
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => AllRunning(l, "svc", "on_started", "on_healthy", "on_job", "on_any_end"), Long);

        foreach (var name in new[] { "svc", "on_started", "on_healthy", "on_job", "on_any_end" })
            await daemon.WaitForOutputAsync($"success: {name} entered RUNNING");
        // started: spawned once svc was spawned (two children racing to their first instruction: the log says it).
        var log = daemon.Output;
        Assert.True(log.IndexOf("spawned: 'svc'", StringComparison.Ordinal) < log.IndexOf("spawned: 'on_started'", StringComparison.Ordinal));
        Assert.True(log.IndexOf("spawned: 'on_started'", StringComparison.Ordinal) < log.IndexOf("success: svc entered RUNNING", StringComparison.Ordinal),
            "started waited for RUNNING");
        Assert.True(log.IndexOf("success: svc entered RUNNING", StringComparison.Ordinal) < log.IndexOf("spawned: 'on_healthy'", StringComparison.Ordinal),
            "healthy did not wait for RUNNING");
        Assert.True(Stamp(daemon, "on_healthy.start") > Stamp(daemon, "svc.start"));
        Assert.True(Stamp(daemon, "on_job.start") > Stamp(daemon, "job.end"));
        Assert.True(Stamp(daemon, "on_any_end.start") > Stamp(daemon, "failing_job.end"));
    }

    [Fact]
    public async Task StopOfAProcessWaitingForItsDependency_CancelsTheStart_AndSaysStopped()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:slow]
            command = {fixtures}/sleep_forever.sh
            startsecs = 60

            [program:web]
            command = {fixtures}/sleep_forever.sh
            depends_on = slow
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => l.Any(x => x.StartsWith("web ") && x.Contains("waiting for slow (running)")));

        var stop = await daemon.CtlAsync("stop", "web");

        Assert.Equal((0, "web: stopped\n"), (stop.ExitCode, stop.Stdout));
        var status = await daemon.CtlAsync("status", "web");
        Assert.Matches(@"^web\s+STOPPED\s+Not started\n$", status.Stdout);
        Assert.Equal("slow: stopped\n", (await daemon.CtlAsync("stop", "slow")).Stdout);
        Assert.DoesNotContain("spawned: 'web'", daemon.Output);
    }

    [Fact]
    public async Task DependencyThatFailsDuringTheWait_LeavesTheChainNotStarted_WithTheReasonInStatusAndLog()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:broken]
            command = {fixtures}/exit_with.sh 1
            startsecs = 1
            startretries = 1

            [program:web]
            command = {fixtures}/sleep_forever.sh
            depends_on = broken

            [program:front]
            command = {fixtures}/sleep_forever.sh
            depends_on = web:started

            [program:bad]
            command = {fixtures}/exit_with.sh 3
            startsecs = 0
            autorestart = false

            [program:needs_success]
            command = {fixtures}/sleep_forever.sh
            depends_on = bad:completed_successfully
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(l =>
            l.Any(x => x.StartsWith("front ") && x.Contains("not started"))
            && l.Any(x => x.StartsWith("needs_success ") && x.Contains("not started")), Long);

        Assert.Contains(status.Lines, l => l.StartsWith("broken ") && l.Contains(" FATAL "));
        Assert.Contains(status.Lines, l => Regex.IsMatch(l, @"^web\s+STOPPED\s+not started: dependency broken entered FATAL state$"));
        Assert.Contains(status.Lines, l => l.StartsWith("front ") && l.Contains("STOPPED") && l.Contains("dependency web was not started"));
        Assert.Contains(status.Lines, l => l.StartsWith("needs_success ") && l.Contains("bad completed unsuccessfully (exit status 3)"));
        await daemon.WaitForOutputAsync("not started: web, dependency broken entered FATAL state");
        Assert.DoesNotContain("spawned: 'web'", daemon.Output);
        Assert.DoesNotContain("spawned: 'front'", daemon.Output);
    }

    [Fact]
    public async Task StartOfADependent_StartsItsStoppedDependencies_AndReturnsOnceItIsRunning()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:api]
            command = {fixtures}/stamp_start.sh {dir} api
            autostart = false
            depends_on = db:running

            [program:db]
            command = {fixtures}/stamp_start.sh {dir} db
            autostart = false
            """);
        await daemon.StartAsync();
        var waiting = await daemon.CtlAsync("status");
        Assert.Contains(waiting.Lines, l => l.StartsWith("db ") && l.Contains("STOPPED"));

        var start = await daemon.CtlAsync("start", "api");
        Assert.Equal(0, start.ExitCode);
        Assert.Contains("api: started", start.Stdout);
        var status = await daemon.CtlAsync("status");
        Assert.True(AllRunning(status.Lines, "api", "db"), status.ToString());
        Assert.True(Stamp(daemon, "api.start") > Stamp(daemon, "db.start"));

        var deps = await daemon.CtlAsync("deps");
        Assert.Contains(deps.Lines, l => l.StartsWith("api ") && l.Contains("after db:running"));
        var json = await daemon.CtlAsync("--json", "deps");
        Assert.Contains("\"dependsOn\":[\"db:running\"]", json.Stdout.Replace(" ", "").Replace("\n", ""));
    }

    [Fact]
    public async Task Update_AddingADependency_MakesTheNextStartWaitForIt()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:api]
            command = {fixtures}/stamp_start.sh {dir} api
            autostart = false
            """);
        await daemon.StartAsync();
        daemon.WriteConfig("""
            [program:api]
            command = {fixtures}/stamp_start.sh {dir} api
            autostart = false
            depends_on = db

            [program:db]
            command = {fixtures}/stamp_start.sh {dir} db
            startsecs = 2
            """);
        var update = await daemon.CtlAsync("update");
        Assert.Equal(0, update.ExitCode);
        var start = await daemon.CtlAsync("start", "api");
        Assert.Contains("api: started", start.Stdout);
        Assert.True(Stamp(daemon, "api.start") > Stamp(daemon, "db.start"));
        await daemon.WaitForOutputAsync("success: api entered RUNNING");
        Assert.True(daemon.Output.IndexOf("success: db entered RUNNING", StringComparison.Ordinal)
            < daemon.Output.IndexOf("spawned: 'api'", StringComparison.Ordinal), "api was spawned before db was RUNNING");
    }

    [Fact]
    public async Task Check_ReportsACycleAtEachEdge_AndAnUnknownName()
    {
        var dir = Directory.CreateTempSubdirectory("tmd-").FullName;
        try
        {
            var path = Path.Combine(dir, "cycle.conf");
            File.WriteAllText(path, """
                [program:a]
                command = /bin/true
                depends_on = b

                [program:b]
                command = /bin/true
                depends_on = x:started, a:healthy

                [program:c]
                command = /bin/true
                depends_on = nosuch
                """);
            var check = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", path]);
            Assert.NotEqual(0, check.ExitCode);
            var text = check.Stdout + check.Stderr;
            Assert.Contains($"{path}:3:14: [program:a] depends_on: dependency cycle: a -> b -> a", text);
            Assert.Contains($"{path}:7:25: [program:b] depends_on: dependency cycle: a -> b -> a", text);
            Assert.Contains($"{path}:7:14: [program:b] depends_on: no program or group named 'x'", text);
            Assert.Contains($"{path}:11:14: [program:c] depends_on: no program or group named 'nosuch'", text);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Theory]
    [InlineData("exit_on = any", "{fixtures}/exit_with.sh 7", 0, 7)]
    [InlineData("exit_on = unexpected", "{fixtures}/exit_with.sh 9", 0, 9)]
    [InlineData("essential = true", "{fixtures}/exit_with.sh 0", 0, 0)]
    [InlineData("exit_on = fatal", "{fixtures}/kill_self.sh 15", 30, 128 + 15)]
    public async Task ExitOn_EndsTheDaemonWithTheProgramsExitCode_AfterStoppingTheOthers(string policy, string command, int startsecs, int code)
    {
        await using var daemon = DaemonUnderTest.Create($"""
            [program:main]
            command = {command}
            startsecs = {startsecs}
            startretries = 0
            autorestart = true
            {policy}

            [program:side]
            command = {"{fixtures}"}/sleep_forever.sh
            """);
        // main may end (and the daemon with it) before the socket could be seen serving.
        await daemon.LaunchAsync();
        Assert.Equal(code, await daemon.WaitForExitAsync(Long));
        Assert.Contains("exit_on: main entered", daemon.Output);
        Assert.Contains("stopped: side", daemon.Output);
    }

    [GeneratedRegex(@"stopped: (\S+) \(")]
    private static partial Regex StoppedLine();
}
