using System.Runtime.InteropServices;
using Taskmaster.Spawning;

namespace Taskmaster.Daemon;

/// <summary>The libc calls only the daemon needs (changing its own identity and limits, detaching its standard
/// streams); the ones it shares with the engine (open, close, umask, waitpid, geteuid, sigaction) are in LibC.</summary>
internal static partial class DaemonNative
{
    private const string Lib = "libc";

    [LibraryImport(Lib, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Lib, EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGid(uint gid);

    [LibraryImport(Lib, EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUid(uint uid);

    [LibraryImport(Lib, EntryPoint = "initgroups", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InitGroups(string user, uint group);

    [LibraryImport(Lib, EntryPoint = "setrlimit", SetLastError = true)]
    public static partial int SetRlimit(int resource, in RLimit limit);

    [LibraryImport(Lib, EntryPoint = "getrlimit", SetLastError = true)]
    public static partial int GetRlimit(int resource, out RLimit limit);

    public const int RLIMIT_NPROC = 6, RLIMIT_NOFILE = 7;

    [StructLayout(LayoutKind.Sequential)]
    public struct RLimit
    {
        public ulong Current;
        public ulong Max;
    }

    /// <summary>
    /// Sets <paramref name="signal"/> back to its default disposition if it was inherited as ignored (nohup ignores
    /// HUP; a script's background job ignores INT and QUIT). The runtime never installs a handler over an ignored
    /// signal, so without this `kill -HUP` could not reload a daemon started under nohup, as it does supervisord.
    /// Call before anything registers signal handlers.
    /// </summary>
    public static unsafe void UnignoreSignal(int signal)
    {
        const nint SIG_IGN = 1;
        // struct sigaction begins with the handler; 256 bytes is more than glibc's struct on any Linux target.
        var current = stackalloc byte[256];
        new Span<byte>(current, 256).Clear();
        if (LibC.Sigaction(signal, null, current) != 0 || *(nint*)current != SIG_IGN)
            return;
        var defaults = stackalloc byte[256];
        new Span<byte>(defaults, 256).Clear();
        LibC.Sigaction(signal, defaults, null);
    }

    /// <summary>Points <paramref name="fd"/> at /dev/null (used to detach standard streams).</summary>
    public static void RedirectToDevNull(int fd)
    {
        var devNull = LibC.Open("/dev/null", LibC.O_RDWR);
        if (devNull < 0 || devNull == fd) return;
        LibC.Dup3(devNull, fd, 0);
        LibC.Close(devNull);
    }
}
