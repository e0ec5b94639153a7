using System.Net;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// The network and log checks, asynchronous: each is a socket or file operation on the runtime's I/O machinery (no
/// thread of its own), cancelled by the loop when its timeout (a deadline in the loop's queue) comes first. The result
/// is null for success, or the reason of the failure. Nothing here touches a process's state.
/// </summary>
internal static class ProbeChecks
{
    private const int MaxStatusLine = 512;

    public static async Task<string?> TcpAsync(ProbeTarget.Tcp target, CancellationToken ct)
    {
        try
        {
            using var socket = await ConnectAsync(target.Host, target.Port, ct).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return Reason(e, $"tcp://{target.Host}:{target.Port}");
        }
    }

    /// <summary>A GET with <c>Connection: close</c>; only the status line is read.</summary>
    public static async Task<string?> HttpAsync(ProbeTarget.Http target, (int Low, int High) accepted, CancellationToken ct)
    {
        try
        {
            using var socket = await ConnectAsync(target.Host, target.Port, ct).ConfigureAwait(false);
            var request = Encoding.ASCII.GetBytes(
                $"GET {target.Path} HTTP/1.1\r\nHost: {target.Host}:{target.Port}\r\nUser-Agent: taskmasterd\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, ct).ConfigureAwait(false);
            var buffer = new byte[MaxStatusLine];
            var filled = 0;
            while (filled < buffer.Length)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, ct).ConfigureAwait(false);
                if (read == 0) break;
                filled += read;
                if (Array.IndexOf(buffer, (byte)'\n', 0, filled) >= 0) break;
            }
            var line = Encoding.ASCII.GetString(buffer, 0, filled).Split('\n')[0].TrimEnd('\r');
            var parts = line.Split(' ', 3);
            if (parts.Length < 2 || !parts[0].StartsWith("HTTP/", StringComparison.Ordinal) || !int.TryParse(parts[1], out var status))
                return $"{target.Raw}: not an HTTP answer";
            return status >= accepted.Low && status <= accepted.High ? null : $"{target.Raw}: status {status}";
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException)
        {
            return Reason(e, target.Raw);
        }
    }

    /// <summary>Reads what the log files gained since <paramref name="offsets"/> (advanced in place), line by line;
    /// success when a line matches. A log that shrank (rotated) is read from its start.</summary>
    public static async Task<string?> LogAsync(ProbeTarget.LogLine target, string?[] paths, long[] offsets, CancellationToken ct)
    {
        for (var i = 0; i < paths.Length; i++)
        {
            if (paths[i] is not { } path || !File.Exists(path)) continue;
            try
            {
                await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete,
                    4096, useAsync: true);
                if (stream.Length < offsets[i]) offsets[i] = 0;
                stream.Position = offsets[i];
                using var reader = new StreamReader(stream, Encoding.UTF8);
                string? line;
                var consumed = offsets[i];
                while ((line = await reader.ReadLineAsync(ct).ConfigureAwait(false)) is not null)
                {
                    consumed = stream.Position;
                    if (Matches(target, line)) { offsets[i] = consumed; return null; }
                }
                offsets[i] = stream.Length;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or OperationCanceledException)
            {
                return $"{target.Raw}: {e.Message}";
            }
        }
        return $"no output line matched {target.Raw[4..]}";
    }

    private static bool Matches(ProbeTarget.LogLine target, string line)
    {
        try
        {
            return target.Pattern.IsMatch(line);
        }
        catch (System.Text.RegularExpressions.RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static async Task<Socket> ConnectAsync(string host, int port, CancellationToken ct)
    {
        var addresses = IPAddress.TryParse(host, out var ip) ? [ip] : await Dns.GetHostAddressesAsync(host, ct).ConfigureAwait(false);
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), ct).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    private static string SocketReason(SocketException s) => s.SocketErrorCode switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.HostNotFound => "unknown host",
        _ => s.Message,
    };

    private static string Reason(Exception e, string what) => e switch
    {
        OperationCanceledException => $"{what}: timed out",
        SocketException s => $"{what}: {SocketReason(s)}",
        _ => $"{what}: {e.Message}",
    };
}
