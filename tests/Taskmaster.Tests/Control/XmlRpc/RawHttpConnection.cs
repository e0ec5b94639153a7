using System.Net.Sockets;
using System.Text;

namespace Taskmaster.Tests.Control.XmlRpc;

/// <summary>
/// One HTTP/1.x connection driven by hand, for what HttpClient will not send (no Content-Length, HTTP/1.0, stray
/// CRLFs, bytes that are not XML) and to see exactly what comes back: several requests on one socket, each answer read
/// by its Content-Length or its chunks.
/// </summary>
internal sealed class RawHttpConnection : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly NetworkStream _stream;
    private readonly byte[] _buffer = new byte[64 * 1024];
    private int _start;
    private int _end;

    private RawHttpConnection(Socket socket)
    {
        _socket = socket;
        _stream = new NetworkStream(socket, ownsSocket: true);
    }

    public static async Task<RawHttpConnection> OpenUnixAsync(string path)
    {
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(path));
        return new RawHttpConnection(socket);
    }

    /// <summary>What supervisorctl's transport sends for one call (xmlrpc.py's SupervisorTransport), body given.</summary>
    public static byte[] XmlRpcRequest(string body, string target = "/RPC2", string? authorization = null, string version = "HTTP/1.1",
        string contentType = "text/xml")
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        var head = new StringBuilder($"POST {target} {version}\r\nHost: localhost\r\nAccept-Encoding: identity\r\n"
            + $"User-Agent: Python-xmlrpc/3.11\r\nContent-Type: {contentType}\r\nAccept: text/xml\r\n");
        if (authorization is not null) head.Append($"Authorization: {authorization}\r\n");
        head.Append($"Content-Length: {bytes.Length}\r\n\r\n");
        return [.. Encoding.ASCII.GetBytes(head.ToString()), .. bytes];
    }

    public async Task SendAsync(byte[] bytes, CancellationToken ct = default) => await _stream.WriteAsync(bytes, ct);

    public Task SendAsync(string text, CancellationToken ct = default) => SendAsync(Encoding.UTF8.GetBytes(text), ct);

    /// <summary>Sends a request and reads its answer.</summary>
    public async Task<RawHttpResponse> RoundTripAsync(byte[] request, CancellationToken ct = default)
    {
        await SendAsync(request, ct);
        return await ReadResponseAsync(ct) ?? throw new IOException("the server closed the connection without an answer");
    }

    /// <summary>Reads one answer; null when the server closed the connection first.</summary>
    public async Task<RawHttpResponse?> ReadResponseAsync(CancellationToken ct = default)
    {
        var statusLine = await ReadLineAsync(ct);
        if (statusLine is null) return null;
        var headers = new List<(string, string)>();
        string? line;
        while ((line = await ReadLineAsync(ct)) is { Length: > 0 })
        {
            var colon = line.IndexOf(':');
            headers.Add((line[..colon].Trim(), line[(colon + 1)..].Trim()));
        }
        var response = new RawHttpResponse(statusLine, headers);
        if (response.Header("Transfer-Encoding")?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true)
        {
            response.Chunked = true;
            return response; // a stream: the caller reads chunks
        }
        var length = int.Parse(response.Header("Content-Length") ?? "0");
        response.Body = await ReadExactlyAsync(length, ct);
        return response;
    }

    /// <summary>The next chunk of a chunked answer (its size line parsed as supervisorctl does); null at the end.</summary>
    public async Task<byte[]?> ReadChunkAsync(CancellationToken ct = default)
    {
        var sizeLine = await ReadLineAsync(ct) ?? throw new IOException("stream closed inside a chunked answer");
        var size = Convert.ToInt32(sizeLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[0], 16);
        if (size == 0) return null;
        var data = await ReadExactlyAsync(size, ct);
        await ReadLineAsync(ct);
        return data;
    }

    /// <summary>True once the server closed its side (a read returns nothing).</summary>
    public async Task<bool> ClosedByServerAsync(CancellationToken ct = default) =>
        _start == _end && await _stream.ReadAsync(_buffer, ct) == 0;

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            (_end, _start) = (_end - _start, 0);
        }
        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }

    private async Task<string?> ReadLineAsync(CancellationToken ct)
    {
        while (true)
        {
            var at = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (at >= 0)
            {
                var line = Encoding.Latin1.GetString(_buffer, _start, at - _start).TrimEnd('\r');
                _start = at + 1;
                return line;
            }
            if (_end == _buffer.Length && _start == 0) throw new IOException("line too long");
            if (!await FillAsync(ct)) return null;
        }
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken ct)
    {
        var data = new byte[count];
        var have = 0;
        while (have < count)
        {
            if (_start == _end && !await FillAsync(ct)) throw new IOException("stream closed inside a body");
            var n = Math.Min(count - have, _end - _start);
            Buffer.BlockCopy(_buffer, _start, data, have, n);
            (have, _start) = (have + n, _start + n);
        }
        return data;
    }

    public async ValueTask DisposeAsync()
    {
        await _stream.DisposeAsync();
        _socket.Dispose();
    }
}

/// <summary>One answer read by <see cref="RawHttpConnection"/>.</summary>
internal sealed class RawHttpResponse(string statusLine, List<(string Name, string Value)> headers)
{
    public string StatusLine { get; } = statusLine;
    public int Status => int.Parse(StatusLine.Split(' ')[1]);
    public IReadOnlyList<(string Name, string Value)> Headers { get; } = headers;
    public byte[] Body { get; set; } = [];
    public string Text => Encoding.UTF8.GetString(Body);
    public bool Chunked { get; set; }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>The faultCode of a fault answer, or null for a success.</summary>
    public int? FaultCode
    {
        get
        {
            var m = System.Text.RegularExpressions.Regex.Match(Text, @"<name>faultCode</name>\n<value><int>(-?\d+)</int>");
            return m.Success && Text.Contains("<fault>", StringComparison.Ordinal) ? int.Parse(m.Groups[1].Value) : null;
        }
    }

    public override string ToString() => $"{StatusLine}\n{string.Join('\n', Headers.Select(h => $"{h.Name}: {h.Value}"))}\n\n{Text}";
}
