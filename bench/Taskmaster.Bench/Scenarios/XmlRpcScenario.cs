using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Bench.Report;

namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// supervisord's XML-RPC door (issue 16): <c>supervisor.getAllProcessInfo</c> with 1000 programs RUNNING, timed at the
/// socket (the request written, the whole answer read by its Content-Length), so no client start-up or XML parsing
/// enters the figure. The same bytes go to both daemons, one connection per call as supervisorctl opens.
/// </summary>
internal static class XmlRpcScenario
{
    public const string Section = "XML-RPC";
    private const int Programs = 1000;

    private static readonly byte[] Body = Encoding.ASCII.GetBytes(
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>supervisor.getAllProcessInfo</methodName>\n<params>\n</params>\n</methodCall>\n");

    private static readonly byte[] Request = [.. Encoding.ASCII.GetBytes(
        "POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: identity\r\nUser-Agent: Python-xmlrpc/3.11\r\n"
        + $"Content-Type: text/xml\r\nAccept: text/xml\r\nContent-Length: {Body.Length}\r\n\r\n"), .. Body];

    public static void Run(BenchContext ctx)
    {
        var repeats = ctx.Options.Quick ? 10 : 30;
        ctx.Book.DescribeSection(Section, $"{Programs} programs RUNNING (`benchchild joined`, startsecs=0). `supervisor.getAllProcessInfo` as supervisorctl's transport sends it, on a new unix-socket connection each time: from writing the request to having read the whole answer (its Content-Length), median of {repeats} calls after one warm-up call. Client start-up and XML parsing are not in the figure.");
        Console.WriteLine("xml-rpc: getAllProcessInfo");
        ctx.ForBoth(Section, sup => ctx.WithSession(sup, "xmlrpc", dir => Enumerable.Range(0, Programs)
            .Select(i => new ProgramSpec($"p{i:0000}", ctx.Options.Child("joined", Path.Combine(DaemonSession.PidsDir(dir), "joined"))))
            .ToList(), s =>
        {
            var timeout = TimeSpan.FromSeconds(60 + Programs * 0.5);
            s.WaitJoined(Path.Combine(DaemonSession.PidsDir(s.Dir), "joined"), Programs, timeout);
            s.WaitRunning(Programs, timeout);
            var socket = Path.Combine(s.Dir, "d.sock");
            var first = Call(socket);
            var running = CountOf(first.Answer, "<string>RUNNING</string>");
            if (running != Programs) throw new InvalidOperationException($"getAllProcessInfo listed {running} of {Programs} RUNNING");
            var times = new List<double>();
            for (var i = 0; i < repeats; i++) times.Add(Call(socket).Elapsed.TotalMilliseconds);
            ctx.Book.Record(sup.Side, Section, $"`supervisor.getAllProcessInfo`, at the socket (median of {repeats})", Programs.ToString(), "ms",
                Stats.Median(times), 2, Bar.RatioAtMost(0.1));
            ctx.Book.Record(sup.Side, Section, "answer size", Programs.ToString(), "KB", first.Answer.Length / 1024.0, 0);
        }));
    }

    private static (TimeSpan Elapsed, string Answer) Call(string socketPath)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        var buffer = new byte[1 << 20];
        var clock = Stopwatch.StartNew();
        socket.Send(Request);
        var have = 0;
        var bodyStart = -1;
        var length = -1;
        while (bodyStart < 0 || have < bodyStart + length)
        {
            if (have == buffer.Length) Array.Resize(ref buffer, buffer.Length * 2);
            var n = socket.Receive(buffer, have, buffer.Length - have, SocketFlags.None);
            if (n == 0) throw new IOException("the daemon closed the connection before the whole answer");
            have += n;
            if (bodyStart < 0)
            {
                var head = Encoding.ASCII.GetString(buffer, 0, have);
                var end = head.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end < 0) continue;
                bodyStart = end + 4;
                var header = head[..end].Split("\r\n").FirstOrDefault(h => h.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    ?? throw new IOException($"no Content-Length in: {head[..end]}");
                length = int.Parse(header["Content-Length:".Length..].Trim());
            }
        }
        var elapsed = clock.Elapsed;
        return (elapsed, Encoding.UTF8.GetString(buffer, bodyStart, length));
    }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var at = text.IndexOf(what, StringComparison.Ordinal); at >= 0; at = text.IndexOf(what, at + what.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
