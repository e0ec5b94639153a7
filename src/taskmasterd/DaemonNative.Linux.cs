using System.Runtime.InteropServices;

namespace Taskmaster.Daemon;

/// <summary>The few libc calls the daemon itself needs (the spawner has its own).</summary>
internal static partial class DaemonNative
{
    private const string Lib = "libc";
    public const int O_RDWR = 2;

    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Lib, EntryPoint = "dup2", SetLastError = true)]
    public static partial int Dup2(int oldFd, int newFd);

    [LibraryImport(Lib, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, out int status, int options);

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

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

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    private static unsafe partial int Sigaction(int signal, void* action, void* oldAction);

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
        if (Sigaction(signal, null, current) != 0 || *(nint*)current != SIG_IGN)
            return;
        var defaults = stackalloc byte[256];
        new Span<byte>(defaults, 256).Clear();
        Sigaction(signal, defaults, null);
    }

    /// <summary>Points <paramref name="fd"/> at /dev/null (used to detach standard streams).</summary>
    public static void RedirectToDevNull(int fd)
    {
        var devNull = Open("/dev/null", O_RDWR);
        if (devNull < 0) return;
        Dup2(devNull, fd);
        if (devNull != fd) Close(devNull);
    }
}
