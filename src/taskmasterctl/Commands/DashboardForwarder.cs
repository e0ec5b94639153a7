using System.Net;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// A loopback TCP port that forwards each connection to the daemon's unix socket, byte for byte, for
/// <c>taskmasterctl dashboard</c>: a browser cannot open a unix socket. The socket is owner-only, so the port must not
/// open it to anybody else: a connection is admitted only when the kernel says its other end belongs to this user
/// (or root, <see cref="LoopbackPeer"/>), and only when its first request names this port in its Host header
/// (127.0.0.1:PORT or localhost:PORT), so a page of another site whose name was rebound to 127.0.0.1 is refused. The
/// daemon then applies its own checks (Origin, media types, its credentials) as on any door.
/// </summary>
internal sealed class DashboardForwarder : IAsyncDisposable
{
    private const int MaxHeadBytes = 16 * 1024;
    private readonly TcpListener _listener;
    private readonly string _socketPath;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;

    private DashboardForwarder(TcpListener listener, string socketPath)
    {
        _listener = listener;
        _socketPath = socketPath;
        _accepting = Task.Run(AcceptAsync);
    }

    /// <summary>The port browsers connect to.</summary>
    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0: any free port).</summary>
    public static DashboardForwarder Start(string socketPath, int port)
    {
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        return new DashboardForwarder(listener, socketPath);
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException) { return; }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using var _ = client;
        var socket = client.Client;
        var peer = (IPEndPoint)socket.RemoteEndPoint!;
        var uid = LoopbackPeer.UidOf(peer, (IPEndPoint)socket.LocalEndPoint!);
        var euid = Identity.GetEuid();
        if (uid is not { } owner || (owner != euid && owner != 0)) return; // another user: closed without a word

        var browser = client.GetStream();
        try
        {
            var head = await ReadHeadAsync(browser, _stop.Token);
            if (head is null) return;
            if (!NamesThisPort(head))
            {
                var body = $"this port answers only requests for 127.0.0.1:{Port} or localhost:{Port}\n";
                await browser.WriteAsync(Encoding.ASCII.GetBytes(
                    $"HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\nConnection: close\r\nContent-Length: {body.Length}\r\n\r\n{body}"), _stop.Token);
                return;
            }
            using var daemon = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            await daemon.ConnectAsync(new UnixDomainSocketEndPoint(_socketPath), _stop.Token);
            await using var daemonStream = new NetworkStream(daemon, ownsSocket: false);
            await daemonStream.WriteAsync(head, _stop.Token);
            using var done = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            var up = Pump(browser, daemonStream, done.Token);
            var down = Pump(daemonStream, browser, done.Token);
            await Task.WhenAny(up, down);
            await done.CancelAsync();
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser or the daemon went away: the connection ends, the port stays.
        }
    }

    private static async Task Pump(Stream from, Stream to, CancellationToken ct)
    {
        var buffer = new byte[64 * 1024];
        try
        {
            for (int n; (n = await from.ReadAsync(buffer, ct)) > 0;)
            {
                await to.WriteAsync(buffer.AsMemory(0, n), ct);
                await to.FlushAsync(ct);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException) { }
    }

    /// <summary>The bytes up to and including the first request's blank line, or null when the browser closed first
    /// or sent more than 16 KB of headers.</summary>
    private static async Task<byte[]?> ReadHeadAsync(Stream stream, CancellationToken ct)
    {
        var buffer = new byte[MaxHeadBytes];
        var length = 0;
        while (length < buffer.Length)
        {
            var n = await stream.ReadAsync(buffer.AsMemory(length), ct);
            if (n == 0) return null;
            length += n;
            if (buffer.AsSpan(0, length).IndexOf("\r\n\r\n"u8) >= 0) return buffer[..length];
        }
        return null;
    }

    private bool NamesThisPort(byte[] head)
    {
        foreach (var line in Encoding.ASCII.GetString(head).Split("\r\n"))
        {
            if (!line.StartsWith("Host:", StringComparison.OrdinalIgnoreCase)) continue;
            var host = line[5..].Trim();
            return host == $"127.0.0.1:{Port}" || host.Equals($"localhost:{Port}", StringComparison.OrdinalIgnoreCase);
        }
        return false;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try { await _accepting; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
