using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Observability;

/// <summary>
/// <c>GET /metrics</c> on a real daemon with real programs: the series supervisord exporters' users alert on, with
/// their values for a running, a FATAL and a never-started program; our own counters after real spawns, failures and
/// output; Prometheus's own parser accepting the page; and the inet door's credentials applying to it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class MetricsEndpointTests
{
    private const string Programs = """
        [program:ticker]
        command = {fixtures}/tick_every_50ms.sh
        startsecs = 0

        [program:crasher]
        command = {fixtures}/exit_with.sh 3
        startsecs = 1
        startretries = 1
        autorestart = false

        [program:idle]
        command = {fixtures}/sleep_forever.sh
        autostart = false
        """;

    /// <summary>Every sample of the page: "name{labels}" (labels as written) → value.</summary>
    private static Dictionary<string, double> Samples(string page)
    {
        var samples = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var line in page.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var space = line.LastIndexOf(' ');
            samples.Add(line[..space], double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture));
        }
        return samples;
    }

    private static async Task<string> ScrapeAsync(HttpClient http)
    {
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        return await response.Content.ReadAsStringAsync();
    }

    [Fact]
    public async Task Scrape_ShowsExporterSeriesAndOwnCounters_ForRunningFatalAndStoppedPrograms()
    {
        await using var daemon = DaemonUnderTest.Create(Programs);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines =>
            lines.Any(l => l.StartsWith("ticker ", StringComparison.Ordinal) && l.Contains("RUNNING", StringComparison.Ordinal))
            && lines.Any(l => l.StartsWith("crasher ", StringComparison.Ordinal) && l.Contains("FATAL", StringComparison.Ordinal)));
        using var http = UnixSocketHttp.Client(daemon.SocketPath);

        // The ticker writes a line every 50 ms: wait until its bytes show, with a deadline.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        Dictionary<string, double> s;
        do s = Samples(await ScrapeAsync(http));
        while (s.GetValueOrDefault("taskmaster_process_log_bytes_total{group=\"ticker\",name=\"ticker\",stream=\"stdout\"}") < 1000
               && DateTime.UtcNow < deadline && await Delay());

        Assert.Equal(1, s["supervisord_up"]);
        Assert.Equal(1, s["node_supervisord_up{group=\"ticker\",name=\"ticker\"}"]);
        Assert.Equal(0, s["node_supervisord_up{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(0, s["node_supervisord_up{group=\"idle\",name=\"idle\"}"]);
        Assert.Equal(20, s["node_supervisord_state{group=\"ticker\",name=\"ticker\"}"]);
        Assert.Equal(200, s["node_supervisord_state{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(0, s["node_supervisord_state{group=\"idle\",name=\"idle\"}"]);
        Assert.Equal(3, s["node_supervisord_exit_status{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(0, s["node_supervisord_exit_status{group=\"idle\",name=\"idle\"}"]);
        // A start time only while up, and a plausible one.
        var started = s["node_supervisord_start_time_seconds{group=\"ticker\",name=\"ticker\"}"];
        Assert.InRange(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - started, 0, 300);
        Assert.DoesNotContain("node_supervisord_start_time_seconds{group=\"crasher\",name=\"crasher\"}", s.Keys);
        Assert.DoesNotContain("node_supervisord_start_time_seconds{group=\"idle\",name=\"idle\"}", s.Keys);

        Assert.Equal(1, s["supervisor_process_info{name=\"ticker\",group=\"ticker\",state=\"RUNNING\",exit_status=\"0\"}"]);
        Assert.Equal(0, s["supervisor_process_info{name=\"crasher\",group=\"crasher\",state=\"FATAL\",exit_status=\"3\"}"]);
        Assert.Equal(0, s["supervisor_process_info{name=\"idle\",group=\"idle\",state=\"STOPPED\",exit_status=\"0\"}"]);
        Assert.InRange(s["supervisor_process_uptime{name=\"ticker\",group=\"ticker\"}"], 0, 300);
        Assert.DoesNotContain("supervisor_process_uptime{name=\"crasher\",group=\"crasher\"}", s.Keys);

        // startretries=1: the first attempt and one retry, each failing before startsecs, then FATAL.
        Assert.Equal(2, s["taskmaster_process_spawns_total{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(1, s["taskmaster_process_restarts_total{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(0, s["taskmaster_process_spawn_failures_total{group=\"crasher\",name=\"crasher\"}"]);
        Assert.Equal(2, s["taskmaster_process_state_transitions_total{group=\"crasher\",name=\"crasher\",to=\"STARTING\"}"]);
        Assert.Equal(2, s["taskmaster_process_state_transitions_total{group=\"crasher\",name=\"crasher\",to=\"BACKOFF\"}"]);
        Assert.Equal(1, s["taskmaster_process_state_transitions_total{group=\"crasher\",name=\"crasher\",to=\"FATAL\"}"]);
        Assert.Equal(0, s["taskmaster_process_spawns_total{group=\"idle\",name=\"idle\"}"]);
        Assert.Equal(1, s["taskmaster_process_spawns_total{group=\"ticker\",name=\"ticker\"}"]);

        Assert.InRange(s["taskmaster_process_log_bytes_total{group=\"ticker\",name=\"ticker\",stream=\"stdout\"}"], 1000, double.MaxValue);
        Assert.Equal(0, s["taskmaster_process_log_bytes_total{group=\"ticker\",name=\"ticker\",stream=\"stderr\"}"]);
        // Read from /proc at scrape time for the live child only.
        Assert.InRange(s["taskmaster_process_resident_memory_bytes{group=\"ticker\",name=\"ticker\"}"], 4096, 1L << 32);
        Assert.InRange(s["taskmaster_process_cpu_seconds_total{group=\"ticker\",name=\"ticker\"}"], 0, 300);
        Assert.DoesNotContain("taskmaster_process_cpu_seconds_total{group=\"idle\",name=\"idle\"}", s.Keys);
    }

    [Fact]
    public async Task SpawnFailure_IsCountedWithoutAChild()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:ghost]
            command = {dir}/bad_interpreter.sh
            autostart = false
            startretries = 0
            """);
        // The command itself exists and is executable, so the check before a start lets it through; its interpreter
        // does not exist, so the exec in the spawner fails and no child is ever created.
        var script = Path.Combine(daemon.Dir, "bad_interpreter.sh");
        await File.WriteAllTextAsync(script, "#!/nonexistent/interpreter\nexit 0\n");
        File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        await daemon.StartAsync();

        var start = await daemon.CtlAsync("start", "ghost");
        Assert.True(start.ExitCode != 0, start.ToString());
        using var http = UnixSocketHttp.Client(daemon.SocketPath);
        var s = Samples(await ScrapeAsync(http));
        Assert.Equal(0, s["taskmaster_process_spawns_total{group=\"ghost\",name=\"ghost\"}"]);
        Assert.Equal(1, s["taskmaster_process_spawn_failures_total{group=\"ghost\",name=\"ghost\"}"]);
        Assert.Equal(1, s["taskmaster_process_state_transitions_total{group=\"ghost\",name=\"ghost\",to=\"FATAL\"}"]);
    }

    [RequiresFact(Requirement.Promtool)]
    public async Task Page_PassesPromtoolCheck()
    {
        await using var daemon = DaemonUnderTest.Create(Programs);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("crasher ", StringComparison.Ordinal) && l.Contains("FATAL", StringComparison.Ordinal)));
        using var http = UnixSocketHttp.Client(daemon.SocketPath);
        var page = await ScrapeAsync(http);

        var psi = new ProcessStartInfo("promtool", "check metrics")
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        using var promtool = Process.Start(psi)!;
        var stdout = promtool.StandardOutput.ReadToEndAsync();
        var stderr = promtool.StandardError.ReadToEndAsync();
        await promtool.StandardInput.WriteAsync(page);
        promtool.StandardInput.Close();
        await promtool.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(promtool.ExitCode == 0, $"promtool check metrics: exit {promtool.ExitCode}\n{await stdout}\n{await stderr}\n--- page\n{page}");
    }

    [Fact]
    public async Task InetDoor_RequiresTheSameCredentials()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create(Programs + $"""

            [inet_http_server]
            port = 127.0.0.1:{port}
            username = admin
            password = s3cret
            """);
        await daemon.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        using (var anonymous = await http.GetAsync("metrics"))
            Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "metrics");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:s3cret")));
        using var response = await http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("\nnode_supervisord_up{group=\"ticker\",name=\"ticker\"} ", await response.Content.ReadAsStringAsync());
    }

    private static async Task<bool> Delay()
    {
        await Task.Delay(100);
        return true;
    }
}
