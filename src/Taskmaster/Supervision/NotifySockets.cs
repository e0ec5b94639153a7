using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

/// <summary>
/// systemd's notify protocol for the programs whose check is <c>notify</c>: each gets a datagram socket of its own,
/// named in its <c>NOTIFY_SOCKET</c>, in a directory of random name made on first need (mode 0711: nobody can list
/// the sockets). A socket is mode 0600 and owned by the user its program runs as (<c>user=</c>, else the daemon's),
/// so another local user cannot send READY=1 or WATCHDOG=1 for a program, even knowing the path (docs/SECURITY.md).
/// Each socket is read by one pending asynchronous receive (no thread); each datagram goes to the loop as a message.
/// Nothing exists until a program with a notify check is spawned.
/// </summary>
internal sealed class NotifySockets(ILogger logger, Action<string, string> deliver) : IDisposable
{
    private const uint DirectoryMode = 0x1C9; // 0711: others may reach a name they know, not list them
    private const uint SocketMode = 0x180; // 0600: only its owner (the program's user) and root may send

    private readonly Dictionary<(string FullName, string? User), (Socket Socket, string Path)> _byProcess = [];
    private string? _directory;

    /// <summary>The socket path for <paramref name="fullName"/> running as <paramref name="user"/> (null: as the
    /// daemon), bound on first use; null if it cannot be made.</summary>
    public string? PathFor(string fullName, string? user)
    {
        if (_byProcess.TryGetValue((fullName, user), out var known)) return known.Path;
        try
        {
            _directory ??= MakeDirectory();
            var path = Path.Combine(_directory, Convert.ToHexString(RandomNumberGenerator.GetBytes(8)).ToLowerInvariant());
            var socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
            socket.Bind(new UnixDomainSocketEndPoint(path));
            if (Files.Chmod(path, SocketMode) != 0) throw new IOException($"chmod {path}: errno {Marshal.GetLastPInvokeError()}");
            // A program of another user sends as that user: the socket becomes theirs. An unknown user never spawns.
            if (user is not null && UserAccount.Find(user) is { } account && account.Uid != Identity.GetEuid()
                && Files.Chown(path, account.Uid, account.Gid) != 0)
                throw new IOException($"chown {path}: errno {Marshal.GetLastPInvokeError()}");
            _byProcess[(fullName, user)] = (socket, path);
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
