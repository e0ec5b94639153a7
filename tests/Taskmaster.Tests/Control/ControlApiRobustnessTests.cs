using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Control;

/// <summary>The API answers or refuses every bad request with a stable error body, and never falls over.</summary>
public sealed class ControlApiRobustnessTests
{
    private static HttpClient RawClient(ControlHost host) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await s.ConnectAsync(new UnixDomainSocketEndPoint(host.SocketPath), ct);
            return new NetworkStream(s, true);
        },
    }) { BaseAddress = new Uri("http://localhost/"), Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<(HttpStatusCode Status, ApiError Error)> ErrorOf(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonSerializer.Deserialize(body, ControlJsonContext.Default.ApiError)!);
    }

    [Fact]
    public async Task MalformedJson_Returns400_WithMalformedRequestCode()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var response = await http.PostAsync("api/v1/processes/start", new StringContent("{\"names\": [", Encoding.UTF8, "application/json"));
        var (status, error) = await ErrorOf(response);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ErrorCode.MalformedRequest, error.Code);
        Assert.Equal("MALFORMED_REQUEST", error.Error);
    }

    [Fact]
    public async Task UnknownRoute_Returns404_WithUnknownRouteCode()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var (status, error) = await ErrorOf(await http.GetAsync("api/v1/nope"));
        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(100, (int)error.Code);
        var (status2, error2) = await ErrorOf(await http.GetAsync("api/v1/processes/nosuch"));
        Assert.Equal(HttpStatusCode.NotFound, status2);
        Assert.Equal(10, (int)error2.Code);
        Assert.Equal("BAD_NAME", error2.Error);
    }

    [Fact]
    public async Task HugeBody_IsRefused_With413_AndServerKeepsAnswering()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var huge = "{\"names\":[\"" + new string('x', 3 << 20) + "\"]}";
        try
        {
            var response = await http.PostAsync("api/v1/processes/start", new StringContent(huge, Encoding.UTF8, "application/json"));
            var (status, error) = await ErrorOf(response);
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
            Assert.Equal(ErrorCode.BodyTooLarge, error.Code);
        }
        catch (HttpRequestException)
        {
            // Refusing by closing the connection mid-upload is also acceptable.
        }
        using var client = host.Client();
        Assert.NotEmpty(await client.GetProcessesAsync());
    }

    [Fact]
    public async Task MissingNames_IsBadArguments()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var (status, error) = await ErrorOf(await http.PostAsync("api/v1/processes/stop", new StringContent("{}", Encoding.UTF8, "application/json")));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ErrorCode.BadArguments, error.Code);
    }

    [Fact]
    public async Task Start_ReturnsOneResultPerName()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var response = await http.PostAsync("api/v1/processes/start",
            new StringContent("{\"names\":[\"idle\",\"nosuch\"],\"wait\":false}", Encoding.UTF8, "application/json"));
        var body = JsonSerializer.Deserialize(await response.Content.ReadAsStringAsync(), ControlJsonContext.Default.ProcessCommandResponse)!;
        Assert.Equal(["idle", "nosuch"], body.Results.Select(r => r.Name));
        Assert.True(body.Results[0].Ok);
        Assert.Equal("BAD_NAME", body.Results[1].Error);
    }

    [Fact]
    public async Task ClientDisconnectingMidStream_LeavesServerHealthy()
    {
        await using var host = await ControlHost.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            using var client = host.Client();
            using var cts = new CancellationTokenSource();
            var stream = await client.FollowLogAsync("web", LogStream.Stdout, 0, cts.Token);
            var buffer = new byte[64];
            Assert.True(await stream.ReadAsync(buffer) > 0);
            using var events = RawClient(host);
            var sse = await events.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead);
            var sseStream = await sse.Content.ReadAsStreamAsync();
            Assert.True(await sseStream.ReadAsync(buffer) > 0); // ": subscribed"
            await cts.CancelAsync();
            await stream.DisposeAsync();
            sse.Dispose();
        }
        using var check = host.Client();
        Assert.Equal("9.8.7", (await check.GetVersionAsync()).Version);
    }

    [Fact]
    public async Task Events_StreamStateChangesAsServerSentEvents()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        using var response = await http.GetAsync("api/v1/events", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": subscribed", await reader.ReadLineAsync());
        host.Fake.Publish(new ProcessStateChange("web", "web", ProcessState.Running, ProcessState.Stopping, 1234, DateTimeOffset.UtcNow));
        string? line;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        do line = await reader.ReadLineAsync(cts.Token); while (line == "");
        Assert.Equal("event: state", line);
        var data = (await reader.ReadLineAsync(cts.Token))!;
        Assert.StartsWith("data: ", data);
        var evt = JsonSerializer.Deserialize(data[6..], ControlJsonContext.Default.StateChangeEvent)!;
        Assert.Equal(("RUNNING", "STOPPING"), (evt.From, evt.To));
    }

    [Fact]
    public async Task Events_WithType_StreamSupervisorEvents_FilteredByTypeAndName()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        using var response = await http.GetAsync("api/v1/events?type=PROCESS_STATE&name=web", HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        Assert.Equal(": subscribed", await reader.ReadLineAsync());
        var at = DateTimeOffset.UtcNow;
        await host.Fake.Events.Writer.WriteAsync(new Taskmaster.Events.SupervisorEvent(Taskmaster.Events.EventType.Tick5, "when:5", null, null, at));
        await host.Fake.Events.Writer.WriteAsync(new Taskmaster.Events.SupervisorEvent(Taskmaster.Events.EventType.ProcessStateExited,
            "processname:db groupname:db from_state:RUNNING expected:0 pid:7", "db", "db", at));
        await host.Fake.Events.Writer.WriteAsync(new Taskmaster.Events.SupervisorEvent(Taskmaster.Events.EventType.ProcessStateExited,
            "processname:web groupname:web from_state:RUNNING expected:0 pid:8", "web", "web", at));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        string? line;
        do line = await reader.ReadLineAsync(cts.Token); while (line == "");
        Assert.Equal("event: supervisor", line);
        var data = (await reader.ReadLineAsync(cts.Token))!;
        var e = JsonSerializer.Deserialize(data[6..], ControlJsonContext.Default.SupervisorEventMessage)!;
        Assert.Equal(("PROCESS_STATE_EXITED", "web", "0", "8"), (e.Type, e.Name, e.Fields["expected"], e.Fields["pid"]));
        Assert.Null(e.Serial);
    }

    [Fact]
    public async Task Events_WithUnknownType_IsBadArguments()
    {
        await using var host = await ControlHost.StartAsync();
        using var http = RawClient(host);
        var (status, error) = await ErrorOf(await http.GetAsync("api/v1/events?type=NOPE"));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(ErrorCode.BadArguments, error.Code);
    }

    [Fact]
    public async Task TwoHundredConcurrentClients_AllAnswered()
    {
        await using var host = await ControlHost.StartAsync();
        var tasks = Enumerable.Range(0, 200).Select(async i =>
        {
            using var client = host.Client();
            return i % 2 == 0 ? (await client.GetProcessesAsync()).Count : (await client.StopAsync(["web"])).Results.Count;
        });
        var counts = await Task.WhenAll(tasks);
        Assert.All(counts, c => Assert.True(c > 0));
        using var after = host.Client();
        Assert.NotEmpty(await after.GetProcessesAsync());
    }

    [Fact]
    public async Task Shutdown_AnswersThenShutsDown_AndSecondRequestIsShutdownState()
    {
        var completed = new TaskCompletionSource();
        await using var host = await ControlHost.StartAsync(o => o with { ShutdownCompleted = () => completed.TrySetResult() });
        using var client = host.Client();
        Assert.Equal("shutting down", (await client.ShutdownAsync()).Status);
        await completed.Task.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(host.Fake.ShutdownCalled);
        var e = await Assert.ThrowsAsync<ControlApiException>(() => client.ShutdownAsync());
        Assert.Equal(ErrorCode.ShutdownState, e.Error.Code);
    }
}
