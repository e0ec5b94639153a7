using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Taskmaster.Config;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.Supervision;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

/// <summary>
/// Guessing the password (issue 27 item 11): ~3200 guesses a second were answered, each with its own WARN line. Now a
/// peer is shut out, unchecked, after five failures, for a pause that doubles, and the log says it once per interval.
/// </summary>
public sealed class LoginBackoffTests
{
    private sealed class Provider(CapturingLogger logger) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => logger;
        public void Dispose() { }
    }

    /// <summary>A client whose connections come from <paramref name="source"/> (any 127/8 address is this host).</summary>
    private static HttpClient ClientFrom(IPAddress source, int port) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(source, 0));
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), ct);
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

    private static async Task<(HttpStatusCode Status, string? RetryAfter)> TryAsync(HttpClient http, string password)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/processes");
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"admin:{password}")));
        using var response = await http.SendAsync(request);
        return (response.StatusCode, response.Headers.RetryAfter?.Delta?.TotalSeconds.ToString());
    }

    [Fact]
    public async Task BruteForce_FromOnePeer_IsShutOutUnchecked_AndLoggedOncePerInterval()
    {
        var port = LoopbackPort.Free();
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var log = new CapturingLogger();
        using var loggers = LoggerFactory.Create(b => b.AddProvider(new Provider(log)).SetMinimumLevel(LogLevel.Trace));
        await using var host = await ControlHost.StartAsync(o => o with
        {
            Inet = new InetHttpServerSettings("127.0.0.1", port, "admin", "s3cret"),
            Time = time,
            RefusalSummaryInterval = TimeSpan.FromSeconds(60),
            UnauthenticatedTimeout = TimeSpan.FromHours(1),
        }, loggers);
        using var attacker = ClientFrom(IPAddress.Parse("127.0.0.1"), port);

        var answers = new List<(HttpStatusCode Status, string? RetryAfter)>();
        for (var i = 0; i < 50; i++) answers.Add(await TryAsync(attacker, $"guess{i}"));
        var rightPasswordDuringPause = await TryAsync(attacker, "s3cret");

        Assert.All(answers.Take(6), a => Assert.Equal(HttpStatusCode.Unauthorized, a.Status));
        Assert.All(answers.Skip(6), a => Assert.Equal((HttpStatusCode.TooManyRequests, "1"), a));
        Assert.Equal(HttpStatusCode.TooManyRequests, rightPasswordDuringPause.Status);
        Assert.Equal(["control: refused failed login from 127.0.0.1"], RefusalLines(log));

        // Another address of this host is another peer: not shut out.
        using var neighbour = ClientFrom(IPAddress.Parse("127.0.0.2"), port);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(neighbour, "s3cret")).Status);

        time.Advance(TimeSpan.FromSeconds(60));
        Assert.Equal(["control: refused failed login from 127.0.0.1",
            "control: refused 50 more requests or connections in the last 60 s: 45 login during back-off from 127.0.0.1, 5 failed login from 127.0.0.1"],
            RefusalLines(log));

        using var later = ClientFrom(IPAddress.Parse("127.0.0.1"), port);
        Assert.Equal(HttpStatusCode.OK, (await TryAsync(later, "s3cret")).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await TryAsync(later, "typo")).Status); // a success forgot the failures
    }

    [Fact]
    public void Pause_DoublesWithEachFailureAfterIt_UpToThirtySeconds()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var throttle = new Taskmaster.Daemon.Control.LoginThrottle(time);
        var pauses = new List<double>();
        for (var i = 0; i < 12; i++)
        {
            throttle.Failed("p");
            var pause = throttle.RemainingPause("p");
            pauses.Add(pause?.TotalSeconds ?? 0);
            if (pause is { } p) time.Advance(p);
        }
        Assert.Equal([0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 30, 30], pauses);
    }

    private static List<string> RefusalLines(CapturingLogger log) =>
        [.. log.Entries.Where(e => e.EventId is 2004 or 2006).Select(e => e.Text)];
}
