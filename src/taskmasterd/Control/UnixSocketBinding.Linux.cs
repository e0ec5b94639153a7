using System.Net.Sockets;
using Taskmaster.Posix;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Puts the control socket in place without ever letting another user connect, whatever the umask.
/// Kestrel binds inside a fresh 0700 directory next to the final path (nobody else can reach it there);
/// once listening, the socket gets its configured mode and owner and is renamed onto the final path in one
/// atomic step, which also replaces a stale socket left by a crashed daemon. A path that still answers a
/// connect belongs to a live server: we refuse rather than steal it.
/// </summary>
internal sealed class UnixSocketBinding : IDisposable
{
    private readonly string _privateDir;
    private bool _published;

    public string FinalPath { get; }
    /// <summary>Where Kestrel must bind.</summary>
    public string BindPath { get; }
    public bool ReplacedStale { get; private set; }

    private UnixSocketBinding(string finalPath, string privateDir)
    {
        FinalPath = finalPath;
        _privateDir = privateDir;
        BindPath = Path.Combine(privateDir, "s");
    }

    public static UnixSocketBinding Prepare(string path)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        path = Path.GetFullPath(path);
        if (IsLive(path))
            throw new ControlServerException($"another server is already listening on {path}; refusing to start (shut it down first)");
        var parent = Path.GetDirectoryName(path) ?? "/";
        if (!Directory.Exists(parent))
            throw new ControlServerException($"cannot create socket {path}: directory {parent} does not exist");
        // Another user who can rename names there could swap our socket for theirs and answer our clients.
        if (StateFile.UnsafeDirectoryReason(parent) is { } unsafeDirectory)
            throw new ControlServerException($"cannot create socket {path}: {unsafeDirectory}");
        // Short name: a Unix socket path is limited to 107 bytes, and the bind path is this directory plus "/s".
        var dir = Path.Combine(parent, $".tm{Guid.NewGuid():N}"[..11]);
        try
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            // mkdir honours the umask only to remove bits; make sure the mode is exactly 0700 regardless.
            File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlServerException($"cannot create socket {path}: {e.Message}", e);
        }
        return new UnixSocketBinding(path, dir);
    }

    /// <summary>Applies mode and owner to the listening socket, then moves it onto the final path.</summary>
    public void Publish(int mode, string? chown)
    {
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        File.SetUnixFileMode(BindPath, (UnixFileMode)(mode & 0xFFF));
        if (!string.IsNullOrEmpty(chown)) ChownSpec.Apply(BindPath, chown);
        ReplacedStale = File.Exists(FinalPath);
        // A second daemon may have started between our check and now; checking again narrows that to nothing useful
        // to an attacker (both are the same user's daemons) while keeping the promise "never steal a live socket".
        if (ReplacedStale && IsLive(FinalPath))
            throw new ControlServerException($"another server is already listening on {FinalPath}; refusing to start");
        File.Move(BindPath, FinalPath, overwrite: true);
        _published = true;
        TryDeleteDirectory();
    }

    /// <summary>True when something accepts connections on <paramref name="path"/>.</summary>
    public static bool IsLive(string path)
    {
        if (!File.Exists(path)) return false;
        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException)
        {
            return false; // refused (stale) or not a socket at all
        }
    }

    private void TryDeleteDirectory()
    {
        try { Directory.Delete(_privateDir, recursive: true); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
    }

    public void Dispose()
    {
        if (_published)
        {
            try { File.Delete(FinalPath); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        }
        TryDeleteDirectory();
    }
}
