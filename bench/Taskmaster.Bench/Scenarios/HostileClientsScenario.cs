using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// Clients that hold the daemon's resources without using them (issue 27 items 7 and 8):
/// 100 followers of a 32 MB log from offset 0 that never read (the daemon's RSS while they are connected, and once
/// they are gone), then 1000 idle TCP connections under a 1024 descriptor limit while a crashing program keeps
/// being respawned (respawns in the window, spawn failures).
/// </summary>
internal static class HostileClientsScenario
{
    public const string Section = "Hostile clients";
    private const int Followers = 100;
    private const int IdleConnections = 1000;
    private const long LogBytes = 32L << 20;
    private const string Line = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde";

    public static void Run(BenchContext ctx)
    {
        var window = TimeSpan.FromSeconds(ctx.Options.Quick ? 5 : 10);
        ctx.Book.DescribeSection(Section, $"A 32 MB log (`yes`), then {Followers} unix-socket clients that ask to follow it and never read: Taskmaster `GET /api/v1/processes/flood/log?offset=0&follow=true`, supervisord `GET /logtail/flood` (its tail cannot start at 0: it begins near the end). Daemon RSS growth once they are all connected (settled), and after they disconnected (settled). Then the daemon's descriptor limit is lowered to 1024 (`prlimit --pid`), {IdleConnections} TCP connections to `[inet_http_server]` (127.0.0.1, no credentials) are opened and held idle for {window.TotalSeconds:0} s while `crash` (`benchchild churn`, autorestart) keeps dying: respawns counted from its own start records, spawn failures from the daemon's log.");
        Console.WriteLine("hostile clients");
        var port = FreePort();
        ctx.ForBoth(Section, sup => ctx.WithSession(sup, "clients", dir =>
        [
            new ProgramSpec("flood", $"/usr/bin/yes {Line}")
            {
                Autostart = false, StdoutLogfile = Path.Combine(dir, "logs", "flood.log"), StdoutMaxBytes = "1GB",
            },
            new ProgramSpec("crash", ctx.Options.Child("churn", Path.Combine(DaemonSession.PidsDir(dir), "crash")))
            {
                StartRetries = 100,
            },
        ], s =>
        {
            var side = sup.Side;
            var log = Path.Combine(s.Dir, "logs", "flood.log");
            s.Ctl("start", "flood");
            var filling = Stopwatch.StartNew();
            while ((File.Exists(log) ? new FileInfo(log).Length : 0) < LogBytes && filling.Elapsed < TimeSpan.FromSeconds(120))
                Thread.Sleep(50);
            s.Ctl("stop", "flood");

            var socketPath = Path.Combine(s.Dir, "d.sock");
            var request = side == Side.Taskmaster
                ? "GET /api/v1/processes/flood/log?offset=0&follow=true HTTP/1.1\r\nHost: localhost\r\n\r\n"
                : "GET /logtail/flood HTTP/1.1\r\nHost: localhost\r\n\r\n";
            var rss0 = SettledRssKb(s.DaemonPid);
            var followers = new List<Socket>();
            try
            {
                for (var i = 0; i < Followers; i++)
                {
                    var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
                    socket.Connect(new UnixDomainSocketEndPoint(socketPath));
                    socket.Send(Encoding.ASCII.GetBytes(request));
                    followers.Add(socket);
                }
                var rssHeld = SettledRssKb(s.DaemonPid);
                ctx.Book.Record(side, Section, "RSS growth, followers connected", $"{Followers}", "MB", (rssHeld - rss0) / 1024.0, 1, Bar.AtMost(50, "MB"));
            }
            finally
            {
                foreach (var f in followers) f.Dispose();
            }
            var rssAfter = SettledRssKb(s.DaemonPid);
            ctx.Book.Record(side, Section, "RSS growth, after they left", $"{Followers}", "MB", (rssAfter - rss0) / 1024.0, 1, Bar.AtMost(50, "MB"));

            using (var prlimit = Process.Start("prlimit", ["--pid", s.DaemonPid.ToString(), "--nofile=1024:1024"]))
                prlimit.WaitForExit();
            var starts = Path.Combine(DaemonSession.PidsDir(s.Dir), "crash");
            var idle = new List<Socket>();
            try
            {
                for (var i = 0; i < IdleConnections; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    try { socket.Connect(IPAddress.Loopback, port); } catch (SocketException) { }
                    idle.Add(socket);
                }
                var before = StartCount(starts);
                Thread.Sleep(window);
                var respawns = StartCount(starts) - before;
                ctx.Book.Record(side, Section, "respawns with idle connections held", $"{IdleConnections}", "/s", respawns / window.TotalSeconds, 1, Bar.AtLeast(1, "/s"));
            }
            finally
            {
                foreach (var socket in idle) socket.Dispose();
            }
            var failures = CountInFile(Path.Combine(s.Dir, "daemon.log"), "Too many open files") + CountInFile(Path.Combine(s.Dir, "daemon.out"), "Too many open files");
            ctx.Book.Record(side, Section, "spawn failures (too many open files)", $"{IdleConnections}", "", failures, 0, Bar.AtMost(0, ""));
        }, extraSections: $"[inet_http_server]\nport=127.0.0.1:{port}\n"));
    }

    /// <summary>The daemon's RSS once it has not grown for a second (at most 20 s).</summary>
    private static long SettledRssKb(int pid)
    {
        var clock = Stopwatch.StartNew();
        var last = ProcFs.RssKb(pid);
        var stableSince = clock.Elapsed;
        while (clock.Elapsed < TimeSpan.FromSeconds(20) && clock.Elapsed - stableSince < TimeSpan.FromSeconds(1))
        {
            Thread.Sleep(100);
            var now = ProcFs.RssKb(pid);
            if (Math.Abs(now - last) > 512) stableSince = clock.Elapsed;
            last = now;
        }
        return last;
    }

    private static int StartCount(string file) => File.Exists(file) ? File.ReadAllLines(file).Length : 0;

    private static int CountInFile(string path, string text)
    {
        if (!File.Exists(path)) return 0;
        var content = File.ReadAllText(path);
        var n = 0;
        for (var i = content.IndexOf(text, StringComparison.OrdinalIgnoreCase); i >= 0; i = content.IndexOf(text, i + text.Length, StringComparison.OrdinalIgnoreCase)) n++;
        return n;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
