using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>
/// Readiness and liveness checks against real programs: a listener that opens when the test says so, an HTTP server
/// answering a scripted run of statuses (and recording each), a notify sender, a log line. The test moves the program
/// (creates its gate file) and waits for states and log lines, never for a time.
/// </summary>
public partial class ProbeEndToEndTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private static string Line(string[] lines, string name) => lines.Single(l => l.StartsWith(name + " "));

    [Fact]
    public async Task TcpReadiness_StartReturnsOnceListening_AndAHealthyDependentWaitsForIt()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create($$"""
            [program:web]
            command = {fixtures}/listen_after.py {{port}} {dir}/go
            autostart = false
            startsecs = 60
            readiness_check_script = tcp://127.0.0.1:{{port}}
            readiness_check_period = 100ms

            [program:front]
            command = {fixtures}/stamp_start.sh {dir} front
            autostart = false
            depends_on = web:healthy
            """);
        await daemon.StartAsync();
        var start = daemon.CtlAsync("start", "front");
        await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("STARTING") && Line(l, "web").Contains("connection refused")
            && Line(l, "front").Contains("waiting for web (healthy)"), Long);

        File.WriteAllText(Path.Combine(daemon.Dir, "go"), "");
        var result = await start;
        Assert.Contains("front: started", result.Stdout);
        var listening = long.Parse(File.ReadAllText(Path.Combine(daemon.Dir, "go.listening")));
        Assert.True(long.Parse(File.ReadAllText(Path.Combine(daemon.Dir, "front.start"))) > listening);
        await daemon.WaitForOutputAsync($"success: web entered RUNNING state, readiness check passed (tcp://127.0.0.1:{port})");
        var json = await daemon.CtlAsync("--json", "status", "web");
        Assert.Contains("\"ready\":true", json.Stdout.Replace(" ", ""));
    }

    [Fact]
    public async Task EventStream_CarriesTheWaitAndTheReadiness_AsTheyChange()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create($$"""
            [program:web]
            command = {fixtures}/listen_after.py {{port}} {dir}/go
            autostart = false
            startsecs = 60
            readiness_check_script = tcp://127.0.0.1:{{port}}
            readiness_check_period = 100ms

            [program:front]
            command = {fixtures}/sleep_forever.sh
            autostart = false
            startsecs = 0
            depends_on = web:healthy
            """);
        await daemon.StartAsync();
        using var http = UnixSocketHttp.Client(daemon.SocketPath);
        using var cts = new CancellationTokenSource(Long);
        using var response = await http.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead, cts.Token);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cts.Token));
        Assert.Equal(": subscribed", await reader.ReadLineAsync(cts.Token));

        var start = daemon.CtlAsync("start", "front");
        var waiting = await NextFrame(reader, "health", "\"fullName\":\"front\"", cts.Token);
        Assert.Contains("\"state\":\"STOPPED\"", waiting);
        Assert.Contains("\"waitingFor\":\"web (healthy)\"", waiting);
        var webStarting = await NextFrame(reader, "state", "\"to\":\"STARTING\"", cts.Token);
        Assert.Contains("\"fullName\":\"web\"", webStarting); // ready: null or false, as its child may not exist yet

        File.WriteAllText(Path.Combine(daemon.Dir, "go"), "");
        var webRunning = await NextFrame(reader, "state", "\"to\":\"RUNNING\"", cts.Token);
        Assert.Contains("\"fullName\":\"web\"", webRunning);
        Assert.Contains("\"ready\":true", webRunning);
        var released = await NextFrame(reader, "health", "\"fullName\":\"front\"", cts.Token);
        Assert.Contains("\"waitingFor\":null", released);
        Assert.Contains("front: started", (await start).Stdout);
    }

    /// <summary>The data of the next SSE frame of <paramref name="kind"/> whose JSON contains <paramref name="text"/>.</summary>
    private static async Task<string> NextFrame(StreamReader reader, string kind, string text, CancellationToken ct)
    {
        string? current = null;
        while (await reader.ReadLineAsync(ct) is { } line)
        {
            if (line.StartsWith("event: ", StringComparison.Ordinal)) current = line[7..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal) && current == kind && line.Contains(text, StringComparison.Ordinal))
                return line[6..];
        }
        throw new EndOfStreamException($"the stream ended before an '{kind}' frame with {text}");
    }

    [Fact]
    public async Task HttpReadiness_NeedsSuccessThresholdSuccessesInARow()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create($$"""
            [program:web]
            command = {fixtures}/http_statuses.py {{port}} 500,200,503,204,200 {dir}/answers
            autostart = false
            startsecs = 60
            readiness_check_script = http://127.0.0.1:{{port}}/health
            readiness_check_period = 100ms
            readiness_check_success_threshold = 2
            readiness_check_http_status = 200-299
            """);
        await daemon.StartAsync();
        var start = await daemon.CtlAsync("start", "web");
        Assert.Contains("web: started", start.Stdout);
        // 204 then 200 are the first two successes in a row: the fifth answer.
        var answers = File.ReadAllLines(Path.Combine(daemon.Dir, "answers"));
        Assert.True(answers.Length >= 5, string.Join(",", answers));
        Assert.Equal(["500", "200", "503", "204", "200"], answers[..5]);
    }

    [Fact]
    public async Task FlappingLiveness_RestartsOnlyAfterFailureThresholdFailuresInARow()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create($$"""
            [program:web]
            command = {fixtures}/http_statuses.py {{port}} 200,500,201,500,202,500,500 {dir}/answers
            ; RUNNING (and the liveness check) only once it listens: a refused connection would count as a failure
            startsecs = 60
            readiness_check_script = tcp://127.0.0.1:{{port}}
            readiness_check_period = 100ms
            liveness_check_script = http://127.0.0.1:{{port}}/
            liveness_check_initial_delay = 0
            liveness_check_period = 100ms
            liveness_check_timeout = 5
            liveness_check_failure_threshold = 2
            """);
        await daemon.StartAsync();
        await daemon.WaitForOutputAsync("unhealthy: web failed its liveness check 2 times in a row: http://127.0.0.1:");
        // The alternation never made two failures in a row: the first restart comes after the seventh answer.
        var answers = File.ReadAllLines(Path.Combine(daemon.Dir, "answers"));
        Assert.Equal(["200", "500", "201", "500", "202", "500", "500"], answers[..7]);
        Assert.Contains("restarting it", daemon.Output);
        await daemon.WaitForOutputAsync("stopped: web");
    }

    [Fact]
    public async Task NotifyProgramThatNeverSaysReady_FailsItsStart_WithTheReason()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:silent]
            command = {fixtures}/notify_ready.py {dir}/never
            startsecs = 2
            startretries = 0
            readiness_check_script = notify
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(l => Line(l, "silent").Contains("FATAL"), Long);
        Assert.Matches(@"FATAL\s+not ready within 2 seconds", Line(status.Lines, "silent"));
        Assert.Contains("not ready: silent did not pass its readiness check within 2 seconds", daemon.Output);
    }

    [Fact]
    public async Task NotifyProgram_IsRunningOnReady_AndShowsItsStatus()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:svc]
            command = {fixtures}/notify_ready.py {dir}/go
            startsecs = 60
            readiness_check_script = notify
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => Line(l, "svc").Contains("STARTING"), Long);
        File.WriteAllText(Path.Combine(daemon.Dir, "go"), "");
        var status = await daemon.WaitForStatusAsync(l => Line(l, "svc").Contains("RUNNING"), Long);
        Assert.EndsWith(", serving", Line(status.Lines, "svc"));
    }

    [Fact]
    public async Task LogLineReadiness_RunningWhenTheLineIsWritten()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:svc]
            command = sh -c 'echo booting; while [ ! -f {dir}/go ]; do sleep 0.05; done; echo "listening on 4242"; exec sleep 3600'
            stdout_logfile = {dir}/svc.log
            startsecs = 60
            readiness_check_script = log:listening on \d+
            readiness_check_period = 100ms
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(l => Line(l, "svc").Contains("STARTING") && Line(l, "svc").Contains("no output line matched"), Long);
        File.WriteAllText(Path.Combine(daemon.Dir, "go"), "");
        await daemon.WaitForStatusAsync(l => Line(l, "svc").Contains("RUNNING"), Long);
    }

    [Fact]
    public async Task ExecLiveness_RestartsTheProgram_WhenItsCheckFails()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            liveness_check_script = /bin/test -f {dir}/alive
            liveness_check_initial_delay = 0
            liveness_check_period = 100ms
            liveness_check_failure_threshold = 2
            """);
        var alive = Path.Combine(daemon.Dir, "alive");
        File.WriteAllText(alive, "");
        await daemon.StartAsync();
        var first = await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("RUNNING"), Long);
        var pid = Pid().Match(Line(first.Lines, "web")).Groups[1].Value;

        File.Delete(alive);
        await daemon.WaitForOutputAsync("unhealthy: web failed its liveness check 2 times in a row: /bin/test -f");
        File.WriteAllText(alive, "");
        var after = await daemon.WaitForStatusAsync(l => Line(l, "web").Contains("RUNNING") && !Line(l, "web").Contains($"pid {pid},"), Long);
        Assert.Contains("restarting it", daemon.Output);
    }

    [GeneratedRegex(@"pid (\d+),")]
    private static partial Regex Pid();
}
