namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// pre_start_hook, pre_stop_hook and post_stop_hook with real programs: each hook and the program append a word to one
/// trace file, so the order they ran in is on disk; the tests wait for states and trace lines, never for a time.
/// </summary>
public class HookEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static string Line(string[] lines, string name) => lines.Single(l => l.StartsWith(name + " "));

    private static string[] Trace(DaemonUnderTest daemon) =>
        DaemonUnderTest.ReadOrEmpty(Path.Combine(daemon.Dir, "trace")).Split('\n', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Hooks_RunAroundTheChild_InOrder_WithTheirOutputInTheProgramLog()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = sh -c 'echo run >> {dir}/trace; trap "echo term >> {dir}/trace; exit 0" TERM; while :; do sleep 0.1; done'
            stdout_logfile = {dir}/web.log
            startsecs = 0
            pre_start_hook = sh -c 'echo "$TASKMASTER_HOOK" >> {dir}/trace; echo preparing the cache'
            pre_stop_hook = sh -c 'echo "$TASKMASTER_HOOK" >> {dir}/trace'
            post_stop_hook = sh -c 'echo "$TASKMASTER_HOOK" >> {dir}/trace'
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("RUNNING"), Long);
        var stop = await daemon.CtlAsync("stop", "web");
        Assert.Contains("web: stopped", stop.Stdout);
        await daemon.WaitUntilAsync(() => Trace(daemon).Contains("post_stop_hook"), "the post-stop hook", Long);

        Assert.Equal(["pre_start_hook", "run", "pre_stop_hook", "term", "post_stop_hook"], Trace(daemon));
        Assert.Contains("preparing the cache", File.ReadAllText(Path.Combine(daemon.Dir, "web.log")));
        Assert.Contains("hook: pre_start_hook of 'web' succeeded", daemon.Output);
    }

    [Fact]
    public async Task FailingPreStartHook_IsAFailedStart_FatalAfterStartRetries_ProgramNeverRuns()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = sh -c 'echo run >> {dir}/trace; exec sleep 3600'
            stdout_logfile = {dir}/web.log
            startretries = 1
            pre_start_hook = sh -c 'echo attempt >> {dir}/trace; echo "database unreachable"; exit 3'
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("FATAL"), Long);

        Assert.Contains("pre_start_hook failed (exit status 3)", Line(status.Lines, "web"));
        Assert.Equal(["attempt", "attempt"], Trace(daemon)); // startretries = 1: two attempts, never the program
        Assert.Contains("hook failed: pre_start_hook of 'web' (exit status 3)", daemon.Output);
        Assert.Contains("gave up: web entered FATAL state", daemon.Output);
        Assert.Contains("database unreachable", File.ReadAllText(Path.Combine(daemon.Dir, "web.log")));
        var start = await daemon.CtlAsync("start", "web");
        Assert.Contains("web: ERROR (spawn error)", start.Stdout);
    }

    [Fact]
    public async Task HangingPreStartHook_IsKilledAtHookTimeout_AndCountsAsFailed()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = sh -c 'echo run >> {dir}/trace; exec sleep 3600'
            startretries = 0
            hook_timeout = 300ms
            pre_start_hook = sh -c 'echo $$ > {dir}/hook.pid; exec sleep 3600'
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("FATAL"), Long);

        Assert.Contains("pre_start_hook failed (timed out after 300ms)", Line(status.Lines, "web"));
        Assert.Contains("hook timed out: pre_start_hook of 'web'", daemon.Output);
        Assert.Empty(Trace(daemon));
        var hookPid = int.Parse(File.ReadAllText(Path.Combine(daemon.Dir, "hook.pid")).Trim());
        Assert.False(Directory.Exists($"/proc/{hookPid}"), "the hook was killed and reaped");
    }

    [Fact]
    public async Task AutorestartWaitsForThePostStopHook()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:job]
            command = sh -c 'echo run >> {dir}/trace; [ -f {dir}/stay ] && exec sleep 3600; exit 0'
            startsecs = 0
            autorestart = true
            post_stop_hook = sh -c 'sleep 0.3; echo post >> {dir}/trace; touch {dir}/stay'
            """);
        await daemon.StartAsync();
        await daemon.WaitUntilAsync(() => Trace(daemon).Length >= 3, "a second run", Long);
        Assert.Equal(["run", "post", "run"], Trace(daemon)[..3]);
        // From the activity log rather than status: no taskmasterctl process to start on a loaded machine.
        await daemon.WaitUntilAsync(() => daemon.Output.Split("success: job entered RUNNING state").Length > 2, "the second run's RUNNING", Long);
    }

    [Fact]
    public async Task StopDuringPreStartHook_KillsTheHook_AndNothingIsSpawned()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = sh -c 'echo run >> {dir}/trace; exec sleep 3600'
            pre_start_hook = sh -c 'echo $$ > {dir}/hook.pid; exec sleep 3600'
            """);
        await daemon.StartAsync();
        // From the activity log, then one status: fewer taskmasterctl processes to start on a loaded machine.
        await daemon.WaitForOutputAsync("hook: pre_start_hook of 'web' spawned with pid", Long);
        Assert.Contains("running pre_start_hook (pid ", Line((await daemon.CtlAsync("status")).Lines, "web"));
        var stop = await daemon.CtlAsync("stop", "web");
        Assert.Contains("web: stopped", stop.Stdout);
        var hookPid = int.Parse(File.ReadAllText(Path.Combine(daemon.Dir, "hook.pid")).Trim());
        await daemon.WaitUntilAsync(() => !Directory.Exists($"/proc/{hookPid}"), "the hook's end", Long);
        Assert.Empty(Trace(daemon));
    }
}
