// Time-bounded fuzzing of the control API (issue "Reliability", item 4). A real in-process ControlServer
// (backed by FakeSupervisor) receives raw HTTP/1.1 bytes over its unix socket: random and mutated methods,
// paths (../, %-escapes, NULs), headers, bodies, truncated requests, absurd Content-Lengths, broken chunking,
// random JSON for the POST routes. Every request must end, within a deadline, in a response or a clean close;
// every error response that carries a body must be the API's JSON error {code, error, message}; afterwards a
// normal request must still work. The budget is TASKMASTER_FUZZ_SECONDS (default 15).
using System.Globalization;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using CsCheck;
using Taskmaster.Tests.Control;
using Xunit.Abstractions;

namespace Taskmaster.Tests.Reliability;

public sealed class FuzzHttpApiTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    private static readonly TimeSpan Grace = TimeSpan.FromMilliseconds(300);

    /// <summary>What Kestrel answers, with no body and a close, to bytes it cannot parse as HTTP, before any middleware runs.</summary>
    private static readonly int[] ProtocolRejections = [400, 411, 413, 414, 431, 501, 505];

    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "TRACE", "CONNECT", "get", "P0ST", ""];

    private static readonly string[] Paths =
    [
        "/api/v1/version", "/api/v1/processes", "/api/v1/processes/web", "/api/v1/processes/nosuch",
        "/api/v1/processes/start", "/api/v1/processes/stop", "/api/v1/processes/restart", "/api/v1/processes/signal",
        "/api/v1/processes/clear", "/api/v1/processes/web/log", "/api/v1/processes/web/stdin", "/api/v1/log",
        "/api/v1/programs", "/api/v1/reread", "/api/v1/update", "/api/v1/add", "/api/v1/remove",
        "/api/v1/processes/../../etc/passwd", "/api/v1/processes/%2e%2e%2f%2e%2e%2fetc%2fpasswd/log",
        "/api/v1/processes/%00/log", "/api/v1/processes/%ff%fe", "/../../../etc/passwd", "//api//v1//processes",
        "/api/v1/processes/web/log?offset=-5&length=99999999999", "/api/v1/log?offset=abc&length=-1",
        "/api/v1/processes/web/log?stream=nope", "*", "http://localhost/api/v1/version", "/%", "/api/v1/%zz",
    ];

    private static readonly string[] Names = ["web", "worker:worker_00", "worker:*", "nosuch", "", "../x", "a;b", "*", "web:web"];

    /// <summary>A JSON string literal, without reflection-based serialization.</summary>
    private static string Quote(string s) => "\"" + JsonEncodedText.Encode(s).ToString() + "\"";

    private static readonly string[] RouteBodies = ["start", "stop", "restart", "signal", "clear"];

    /// <summary>A random JSON value, nested a little, with the API's field names mixed in.</summary>
    private static readonly Gen<string> JsonValue = Gen.Recursive<string>((depth, self) =>
    {
        var leaf = Gen.OneOf(
            Gen.OneOfConst(Names).Select(Quote),
            Gen.String.Select(Quote),
            Gen.Long.Select(l => l.ToString(CultureInfo.InvariantCulture)),
            Gen.Double.Select(d => double.IsFinite(d) ? d.ToString("R", CultureInfo.InvariantCulture) : "1e999"),
            Gen.OneOfConst("true", "false", "null", "[]", "{}", "\"HUP\"", "\"SIGKILL\"", "\"99\""));
        if (depth > 3) return leaf;
        var key = Gen.OneOf(Gen.OneOfConst("names", "wait", "signal", "groups", "Names", "names\u0000"), Gen.String);
        var obj = Gen.Select(key, self).Array[0, 4].Select(kv => "{" + string.Join(",", kv.Select(p => Quote(p.Item1) + ":" + p.Item2)) + "}");
        var arr = self.Array[0, 5].Select(xs => "[" + string.Join(",", xs) + "]");
        return Gen.Frequency((3, leaf), (2, obj), (1, arr));
    });

    /// <summary>A body for the action routes: mostly the right shape, sometimes subtly wrong.</summary>
    private static readonly Gen<string> ActionBody = Gen.OneOf(
        Gen.Select(Gen.OneOfConst(Names).Array[0, 4], Gen.OneOfConst("true", "false", "null", "1", "\"x\""), Gen.OneOfConst("\"HUP\"", "\"9\"", "null", "\"BOGUS\"", "-1"))
            .Select(t => $"{{\"names\":[{string.Join(",", t.Item1.Select(Quote))}],\"wait\":{t.Item2},\"signal\":{t.Item3}}}"),
        JsonValue);

    private static readonly Gen<string> Path = Gen.Frequency(
        (6, Gen.OneOfConst(Paths)),
        (2, Gen.Select(Gen.OneOfConst(Paths), Gen.OneOfConst("../", "%2e%2e/", "%", "%00", "%c0%af", "?", "#", "//", "\\", ";", " ", "\u00e9"), Gen.Int[0, 40])
            .Select(t => t.Item1.Insert(Math.Min(t.Item3, t.Item1.Length), t.Item2))),
        (1, Gen.String[0, 200].Select(s => "/" + s)),
        (1, Gen.Char['a', 'z'].Array[3000, 20000].Select(cs => "/api/v1/processes/" + new string(cs))));

    private static readonly Gen<(string Name, string Value)> Header = Gen.OneOf(
        Gen.Select(Gen.OneOfConst("Content-Type", "Accept", "Authorization", "Expect", "Connection", "X-Junk", "Host", "Upgrade", "Transfer-Encoding"),
            Gen.OneOfConst("application/json", "text/plain", "Basic Zm9vOmJhcg==", "Basic !!!", "100-continue", "keep-alive", "close",
                "chunked", "gzip, chunked", "identity", "h2c", "websocket", "", "\u00ff\u00fe")),
        Gen.Select(Gen.Char['A', 'z'].Array[1, 30].Select(c => new string(c)), Gen.String[0, 100]));

    /// <summary>How the body is framed on the wire.</summary>
    private enum Framing { Exact, None, Huge, Negative, Garbage, Short, Chunked, BadChunked, Both }

    private sealed record FuzzRequest(string Method, string Path, (string Name, string Value)[] Headers, string Body, Framing Framing,
        int CutAt, bool Mutate, int MutatePos, byte MutateByte, bool LfOnly)
    {
        public byte[] Bytes()
        {
            var sb = new StringBuilder();
            var eol = LfOnly ? "\n" : "\r\n";
            sb.Append(Method).Append(' ').Append(Path).Append(" HTTP/1.1").Append(eol).Append("Host: localhost").Append(eol);
            foreach (var (name, value) in Headers) sb.Append(name).Append(": ").Append(value).Append(eol);
            var body = Encoding.UTF8.GetBytes(Body);
            switch (Framing)
            {
                case Framing.Exact: sb.Append("Content-Length: ").Append(body.Length).Append(eol); break;
                case Framing.Huge: sb.Append("Content-Length: ").Append("99999999999999999999").Append(eol); break;
                case Framing.Negative: sb.Append("Content-Length: -").Append(body.Length).Append(eol); break;
                case Framing.Garbage: sb.Append("Content-Length: 12abc").Append(eol); break;
                case Framing.Short: sb.Append("Content-Length: ").Append(body.Length + 1000).Append(eol); break;
                case Framing.Chunked or Framing.BadChunked: sb.Append("Transfer-Encoding: chunked").Append(eol); break;
                case Framing.Both: sb.Append("Content-Length: 3").Append(eol).Append("Transfer-Encoding: chunked").Append(eol); break;
            }
            sb.Append(eol);
            var head = Encoding.UTF8.GetBytes(sb.ToString());
            byte[] payload = Framing switch
            {
                Framing.None => [],
                Framing.Chunked or Framing.Both => Encoding.ASCII.GetBytes($"{body.Length:x}\r\n").Concat(body).Concat("\r\n0\r\n\r\n"u8.ToArray()).ToArray(),
                Framing.BadChunked => Encoding.ASCII.GetBytes($"{body.Length + 7:x}zz\r\n").Concat(body).Concat("\r\nG\r\n"u8.ToArray()).ToArray(),
                _ => body,
            };
            var bytes = head.Concat(payload).ToArray();
            if (Mutate && bytes.Length > 0) bytes[MutatePos % bytes.Length] = MutateByte;
            return CutAt >= 0 && CutAt < bytes.Length ? bytes[..CutAt] : bytes;
        }

        public override string ToString()
        {
            var text = Encoding.UTF8.GetString(Bytes());
            return text.Length > 600 ? text[..600] + $"... ({text.Length} chars)" : text;
        }
    }

    private static readonly Gen<FuzzRequest> Request =
        Gen.Select(Gen.Frequency((5, Gen.OneOfConst("GET", "POST")), (1, Gen.OneOfConst(Methods)), (1, Gen.String[0, 12])), Path,
                Gen.Frequency((3, Gen.OneOfConst(RouteBodies).Select(r => (string?)r)), (2, Gen.Const((string?)null))),
                Header.Array[0, 6],
                Gen.Frequency((4, ActionBody), (2, JsonValue), (1, Gen.String[0, 500]), (1, Gen.Const(""))),
                Gen.Enum<Framing>())
            .SelectMany(t => Gen.Select(Gen.Frequency((5, Gen.Const(-1)), (1, Gen.Int[0, 400])), Gen.Bool, Gen.Int[0, 10000], Gen.Byte, Gen.Frequency((9, Gen.Const(false)), (1, Gen.Const(true))))
                .Select(m => new FuzzRequest(t.Item3 is { } route ? "POST" : t.Item1, t.Item3 is { } r ? "/api/v1/processes/" + r : t.Item2,
                    t.Item4, t.Item5, t.Item6, m.Item1, m.Item2 && m.Item3 % 4 == 0, m.Item3, m.Item4, m.Item5)));

    [Fact]
    public async Task RandomAndMutatedRequests_AlwaysAnsweredOrClosed_ErrorsAreJson_ServerStillWorks()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_SECONDS"), out var s) ? s : 15;
        await using var host = await ControlHost.StartAsync();
        long executions = 0, responses = 0, closes = 0, errorBodies = 0, emptyErrors = 0;
        var statusCounts = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();

        await Task.Run(() => Request.Sample(request =>
        {
            var outcome = Exchange(host.SocketPath, request.Bytes(), head: request.Method == "HEAD");
            Interlocked.Increment(ref executions);
            if (outcome.Status is not { } status) { Interlocked.Increment(ref closes); return; }
            Interlocked.Increment(ref responses);
            statusCounts.AddOrUpdate(status, 1, (_, n) => n + 1);
            // A response to HEAD has no body whatever its Content-Length says: only the status counts.
            if (status < 400 || request.Method == "HEAD") return;
            // Kestrel also refuses a non-origin target ("*" with GET...) itself, with a bare 405.
            if (outcome.Body.Length == 0 && ((outcome.Closes && ProtocolRejections.Contains(status)) || !request.Path.StartsWith('/')))
            {
                // Kestrel refuses bytes it cannot parse as HTTP before any middleware runs, with an empty 400/4xx and a close.
                Interlocked.Increment(ref emptyErrors);
                return;
            }
            Interlocked.Increment(ref errorBodies);
            AssertApiError(status, outcome.Body);
        }, time: seconds, iter: long.MaxValue, threads: 4, print: r => r.ToString()));

        // The server still serves a normal client.
        using var client = host.Client();
        Assert.NotEmpty(await client.GetProcessesAsync());
        Assert.Equal("9.8.7", (await client.GetVersionAsync()).Version);
        output.WriteLine($"fuzz: {executions} requests in {seconds} s: {responses} answered, {closes} closed; " +
                         $"{errorBodies} JSON errors, {emptyErrors} empty protocol rejections; statuses " +
                         string.Join(" ", statusCounts.OrderBy(k => k.Key).Select(k => $"{k.Key}×{k.Value}")));
        Assert.True(executions > 100, $"only {executions} executions");
    }

    private static void AssertApiError(int status, byte[] body)
    {
        Assert.True(body.Length > 0, $"{status} error with an empty body on a connection kept open");
        using var doc = JsonDocument.Parse(body);
        var root = doc.RootElement;
        Assert.True(root.ValueKind == JsonValueKind.Object, $"{status}: not a JSON object: {Encoding.UTF8.GetString(body)}");
        Assert.True(root.TryGetProperty("code", out var code) && code.ValueKind == JsonValueKind.Number, $"{status}: no code: {root}");
        Assert.True(root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String, $"{status}: no error: {root}");
        Assert.True(root.TryGetProperty("message", out var message) && message.ValueKind == JsonValueKind.String, $"{status}: no message: {root}");
    }

    private sealed record Outcome(int? Status, byte[] Body, bool Closes);

    /// <summary>
    /// Sends the bytes, half-closes (so a truncated request ends in EOF rather than a wait), and reads the response:
    /// the status and, for errors, the body. A close without a response is a null status. Past the deadline it throws.
    /// </summary>
    private static Outcome Exchange(string socketPath, byte[] request, bool head)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        socket.ReceiveTimeout = (int)Deadline.TotalMilliseconds;
        socket.SendTimeout = (int)Deadline.TotalMilliseconds;
        socket.Connect(new UnixDomainSocketEndPoint(socketPath));
        try
        {
            socket.Send(request);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.Shutdown or SocketError.ConnectionAborted)
        {
            // The server refused early and closed while we were still sending (e.g. headers too large): read what it said.
        }
        var started = DateTime.UtcNow;
        var received = new List<byte>();
        var buffer = new byte[8192];
        int headerEnd = -1;
        int? status = null;
        long? contentLength = null;
        var chunked = false;
        var closes = false;
        var halfClosed = false;
        while (true)
        {
            if (DateTime.UtcNow - started > Deadline) throw new TimeoutException("no response or close within the deadline");
            int n;
            // A request the server still considers incomplete (truncated, short body, mutated terminator) gets
            // no answer while the connection is open: after a grace period, half-close so it sees the end.
            if (!halfClosed && received.Count == 0 && DateTime.UtcNow - started > Grace && !socket.Poll(0, SelectMode.SelectRead))
            {
                try { socket.Shutdown(SocketShutdown.Send); } catch (SocketException) { }
                halfClosed = true;
            }
            if (!socket.Poll(100_000, SelectMode.SelectRead)) continue;
            try { n = socket.Receive(buffer); }
            catch (SocketException e) when (e.SocketErrorCode == SocketError.TimedOut || e.SocketErrorCode == SocketError.WouldBlock)
            {
                throw new TimeoutException("the server neither answered nor closed within the deadline");
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.ConnectionAborted)
            {
                n = 0; // a reset is a clean refusal too
            }
            if (n > 0) received.AddRange(buffer.AsSpan(0, n));
            if (headerEnd < 0)
            {
                var text = Encoding.Latin1.GetString(received.ToArray());
                var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
                if (end >= 0)
                {
                    headerEnd = end + 4;
                    var lines = text[..end].Split("\r\n");
                    var parts = lines[0].Split(' ');
                    Assert.True(parts.Length >= 2 && parts[0].StartsWith("HTTP/1.", StringComparison.Ordinal), $"bad status line: {lines[0]}");
                    status = int.Parse(parts[1], CultureInfo.InvariantCulture);
                    foreach (var line in lines.Skip(1))
                    {
                        var colon = line.IndexOf(':', StringComparison.Ordinal);
                        if (colon < 0) continue;
                        var name = line[..colon].Trim();
                        var value = line[(colon + 1)..].Trim();
                        if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) contentLength = long.Parse(value, CultureInfo.InvariantCulture);
                        if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && value.Contains("chunked", StringComparison.OrdinalIgnoreCase)) chunked = true;
                        if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase) && value.Contains("close", StringComparison.OrdinalIgnoreCase)) closes = true;
                    }
                    // Successes may stream (events, follow): the status is enough.
                    if (status < 400 || head) return new Outcome(status, [], closes);
                }
            }
            if (headerEnd >= 0)
            {
                var body = received.Skip(headerEnd).ToArray();
                if (contentLength is { } length && body.Length >= length) return new Outcome(status, body[..(int)length], closes);
                if (chunked && TryDechunk(body) is { } whole) return new Outcome(status, whole, closes);
                // Cut mid-body after our half-close (the server saw the end of its input first): a clean close.
                if (n == 0) return halfClosed ? new Outcome(null, [], true) : new Outcome(status, body, true);
            }
            else if (n == 0)
            {
                Assert.True(received.Count == 0, $"closed after a partial response: {Encoding.Latin1.GetString(received.ToArray())}");
                return new Outcome(null, [], true);
            }
        }
    }

    /// <summary>The de-chunked body once the terminating chunk arrived, else null.</summary>
    private static byte[]? TryDechunk(byte[] data)
    {
        var result = new List<byte>();
        var pos = 0;
        while (true)
        {
            var lineEnd = IndexOfCrLf(data, pos);
            if (lineEnd < 0) return null;
            var size = Convert.ToInt32(Encoding.ASCII.GetString(data, pos, lineEnd - pos).Split(';')[0], 16);
            pos = lineEnd + 2;
            if (size == 0) return result.ToArray();
            if (pos + size + 2 > data.Length) return null;
            result.AddRange(data.AsSpan(pos, size));
            pos += size + 2;
        }
    }

    private static int IndexOfCrLf(byte[] data, int from)
    {
        for (var i = from; i + 1 < data.Length; i++)
            if (data[i] == '\r' && data[i + 1] == '\n') return i;
        return -1;
    }
}
