using System.Net;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Config;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.EndToEnd;
using static Taskmaster.Tests.Reliability.ReliabilityTools;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

/// <summary>
/// Idle connections against the daemon's descriptors (issue 27 item 8): 1100 unauthenticated TCP connections used to
/// exhaust a 1024 descriptor limit, and the next crash could not respawn (pipe2: Too many open files, then FATAL).
/// </summary>
public sealed class ConnectionLimitTests
{

    /// <summary>Opens <paramref name="count"/> raw TCP connections that send nothing.</summary>
    private static async Task<List<Socket>> OpenIdleAsync(int port, int count)
    {
        var sockets = new List<Socket>(count);
        for (var i = 0; i < count; i++)
        {
            var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try { await s.ConnectAsync(IPAddress.Loopback, port); }
            catch (SocketException) { } // a full accept queue may refuse: that is the server defending itself too
            sockets.Add(s);
        }
        return sockets;
    }

    /// <summary>Whether the server has closed this connection (after any answer it sent, which is read and dropped).</summary>
    private static bool ClosedByServer(Socket s)
    {
        if (!s.Connected) return true;
        try
        {
            var buffer = new byte[4096];
            while (s.Available > 0) s.Receive(buffer);
            return s.Poll(0, SelectMode.SelectRead) && s.Available == 0 && s.Receive(buffer) == 0;
        }
        catch (SocketException) { return true; }
    }

    [Fact]
    public async Task ThousandIdleConnections_UnderALowDescriptorLimit_LeaveACrashingProgramRespawning()
    {
        var port = LoopbackPort.Free();
        await using var daemon = DaemonUnderTest.Create($$"""
            [inet_http_server]
            port = 127.0.0.1:{{port}}

            [program:crasher]
            command = /bin/sh -c "sleep 0.3; exit 1"
            startsecs = 0
            autorestart = true
            startretries = 3
            """, daemonSection: "minfds = 1");
        daemon.Launcher = ["prlimit", "--nofile=512:512"];
        await daemon.StartAsync();
        await daemon.WaitForOutputAsync("spawned: 'crasher'");
        // supervisord's warning for a listener anybody on this host can use, at its level.
        Assert.Contains("CRIT Server 'inet_http_server' running without any HTTP authentication checking", daemon.Output);

        var sockets = await OpenIdleAsync(port, 1100);
        try
        {
            var spawnsBefore = Count(daemon.Output, "spawned: 'crasher'");
            await WaitUntilAsync(() => Count(daemon.Output, "spawned: 'crasher'") >= spawnsBefore + 3,
                "three respawns while the connections are held", TimeSpan.FromSeconds(60));

            Assert.DoesNotContain("Too many open files", daemon.Output, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("FATAL", daemon.Output);
            var held = sockets.Count(s => !ClosedByServer(s));
            Assert.True(held <= 256, $"{held} connections held, more than max_connections");
            // The owner's door is another listener: still answering.
            Assert.Contains("crasher", (await daemon.CtlAsync("status")).Stdout);
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [Fact]
    public async Task ConnectionsOverMaxConnections_AreClosedAtOnce_AndTheUnixSocketStillAnswers()
    {
        var port = LoopbackPort.Free();
        await using var host = await ControlHost.StartAsync(o => o with
        {
            Inet = new InetHttpServerSettings("127.0.0.1", port, null, null) { MaxConnections = 5 },
            UnauthenticatedTimeout = TimeSpan.FromMinutes(10),
        });

        var sockets = await OpenIdleAsync(port, 20);
        try
        {
            await WaitUntilAsync(() => sockets.Count(ClosedByServer) == 15, "15 of 20 connections closed");
            Assert.Equal(5, sockets.Count(s => !ClosedByServer(s)));
            using var client = host.Client();
            Assert.NotEmpty(await client.GetProcessesAsync());
        }
        finally
        {
            foreach (var s in sockets) s.Dispose();
        }
    }

    [Fact]
    public async Task AConnectionThatNeverAuthenticates_IsClosedAfterTheShortTimeout_AnAuthenticatedOneStays()
    {
        var port = LoopbackPort.Free();
        await using var host = await ControlHost.StartAsync(o => o with
        {
            Inet = new InetHttpServerSettings("127.0.0.1", port, "admin", "s3cret"),
            // Long enough for a loaded machine to get to the authenticated connection's request first (at 1 s it once
            // did not, and closed it): still far below Kestrel's keep-alive, which the assertion below tells apart.
            UnauthenticatedTimeout = TimeSpan.FromSeconds(5),
        });
        var idle = (await OpenIdleAsync(port, 1))[0];
        var wrong = (await OpenIdleAsync(port, 1))[0];
        var right = (await OpenIdleAsync(port, 1))[0];
        try
        {
            string Request(string password) =>
                $"GET /api/v1/version HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nAuthorization: Basic {Convert.ToBase64String(Encoding.UTF8.GetBytes("admin:" + password))}\r\n\r\n";
            wrong.Send(Encoding.ASCII.GetBytes(Request("guess")));
            right.Send(Encoding.ASCII.GetBytes(Request("s3cret")));
            var started = DateTime.UtcNow;

            await WaitUntilAsync(() => ClosedByServer(idle) && ClosedByServer(wrong), "the unauthenticated connections closed", TimeSpan.FromSeconds(30));

            Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(25), "closed by the short timeout, not Kestrel's keep-alive");
            var answer = new byte[4096];
            var n = right.Receive(answer);
            Assert.StartsWith("HTTP/1.1 200", Encoding.ASCII.GetString(answer, 0, n));
            Assert.False(ClosedByServer(right));
        }
        finally
        {
            idle.Dispose();
            wrong.Dispose();
            right.Dispose();
        }
    }

    private static int Count(string text, string what)
    {
        var n = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + what.Length, StringComparison.Ordinal)) n++;
        return n;
    }
}
