using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

/// <summary>
/// systemd's notify protocol for the programs whose check is <c>notify</c>: each gets a datagram socket of its own,
/// named in its <c>NOTIFY_SOCKET</c>, in a directory of random name made on first need (mode 0711: a child running
/// as another user reaches its socket by its unguessable name, nobody can list the others). Each socket is read by
/// one pending asynchronous receive (no thread); each datagram goes to the loop as a message. Nothing exists until a
/// program with a notify check is spawned.
/// </summary>
internal sealed class NotifySockets(ILogger logger, Action<string, string> deliver) : IDisposable
{
    private const uint DirectoryMode = 0x1C9; // 0711: others may reach a name they know, not list them
    private const uint SocketMode = 0x1B6; // 0666

    private readonly Dictionary<string, (Socket Socket, string Path)> _byProcess = new(StringComparer.Ordinal);
    private string? _directory;

    /// <summary>The socket path for <paramref name="fullName"/>, bound on first use; null if it cannot be made.</summary>
    public string? PathFor(string fullName)
    {
        if (_byProcess.TryGetValue(fullName, out var known)) return known.Path;
        try
        {
            _directory ??= MakeDirectory();
            var path = Path.Combine(_directory, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            // Writable by the child whatever its user: the path is the secret, not the mode.
            if (Files.Chmod(path, SocketMode) != 0) throw new IOException($"chmod {path}: errno {Marshal.GetLastPInvokeError()}");
            _byProcess[fullName] = (socket, path);
            _ = ReceiveAsync(fullName, socket);
            return path;
        }
        catch (Exception e) when (e is SocketException or IOException or UnauthorizedAccessException)
        {
            HealthLog.NotifySocketFailed(logger, fullName, e.Message);
            return null;
        }
    }

    private static string MakeDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "tm-notify-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
        if (Files.Mkdir(dir, DirectoryMode) != 0) throw new IOException($"mkdir {dir}: errno {Marshal.GetLastPInvokeError()}");
        return dir;
    }

    private async Task ReceiveAsync(string fullName, Socket socket)
    {
        var buffer = new byte[4096];
        while (true)
        {
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                return;
            }
            deliver(fullName, Encoding.UTF8.GetString(buffer, 0, read));
        }
    }

    public void Dispose()
    {
        foreach (var (socket, _) in _byProcess.Values) socket.Dispose();
        _byProcess.Clear();
        if (_directory is not null)
        {
            try { Directory.Delete(_directory, recursive: true); }
            catch (IOException) { }
        }
    }
}
