// File descriptors: opening, duplicating, closing, reading and writing them with plain system calls, for the places
// where .NET's streams cannot say what is needed (O_NONBLOCK pipes, O_NOFOLLOW, a descriptor at an exact number,
// writes to pipes and FIFOs without seeking). Every glibc declaration of Taskmaster lives in this folder, once, in
// the class named for its concept (Descriptors, Epoll, Files, Identity, Processes, ProcessSpawn, ResourceLimits,
// Signals, Terminal); errno values are in Errno. Only x86-64 and aarch64 glibc are supported: both use the same
// generic layouts for the few structs touched here.
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>open, pipe2, fcntl, dup, close, read, write, poll and eventfd on raw descriptors.</summary>
public static unsafe partial class Descriptors
{
    private const string Lib = "libc";

    public const int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_APPEND = 0x400,
        O_NONBLOCK = 0x800, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_PATH = 0x200000, O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3, F_SETFL = 4, F_SETPIPE_SZ = 1031;
    public const int SEEK_CUR = 1;
    public const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    public const short POLLIN = 0x1, POLLOUT = 0x4;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>open(2); <paramref name="mode"/> only counts with O_CREAT.</summary>
    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags, uint mode);

    /// <summary>open(2) of an existing file.</summary>
    public static int Open(string path, int flags) => Open(path, flags, 0);

    /// <summary>openat(2): a name inside a directory already open, so the directory cannot be swapped underneath.</summary>
    [LibraryImport(Lib, EntryPoint = "openat", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    // fcntl is variadic; with one int argument the fixed-argument call is ABI-identical on x86-64 and aarch64 Linux.
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "close_range", SetLastError = true)]
    public static partial int CloseRange(uint first, uint last, int flags);

    [LibraryImport(Lib, EntryPoint = "dup", SetLastError = true)]
    public static partial int Dup(int fd);

    [LibraryImport(Lib, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "lseek", SetLastError = true)]
    public static partial long Lseek(int fd, long offset, int whence);

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    /// <summary>Sets O_NONBLOCK on <paramref name="fd"/>, keeping its other status flags. 0, or the errno.</summary>
    public static int SetNonBlocking(int fd) => ChangeStatusFlags(fd, set: O_NONBLOCK, clear: 0);

    /// <summary>Clears O_NONBLOCK on <paramref name="fd"/>, keeping its other status flags. 0, or the errno.</summary>
    public static int ClearNonBlocking(int fd) => ChangeStatusFlags(fd, set: 0, clear: O_NONBLOCK);

    private static int ChangeStatusFlags(int fd, int set, int clear)
    {
        var flags = Fcntl(fd, F_GETFL, 0);
        return flags >= 0 && Fcntl(fd, F_SETFL, (flags | set) & ~clear) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>
    /// Writes <paramref name="data"/> with write(2), retrying on EINTR, until all of it is written or write fails.
    /// Returns the bytes written and 0, or the bytes written before the error and its errno. On a non-blocking pipe
    /// a reader that does not read makes it stop with EAGAIN instead of stalling the caller (writes of up to 4096
    /// bytes, PIPE_BUF, are atomic: all of it or, with EAGAIN, nothing), and a reader that is gone makes it stop
    /// with EPIPE (.NET ignores SIGPIPE, so no signal kills the process). Works on files opened O_APPEND, pipes,
    /// FIFOs and terminals, where the runtime's positional writes refuse to go.
    /// </summary>
    public static (int Written, int Errno) WriteAll(SafeHandle handle, ReadOnlySpan<byte> data)
    {
        var written = 0;
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var fd = (int)handle.DangerousGetHandle();
            fixed (byte* start = data)
            {
                while (written < data.Length)
                {
                    var n = Write(fd, start + written, data.Length - written);
                    if (n >= 0)
                    {
                        written += (int)n;
                        continue;
                    }
                    var errno = Marshal.GetLastPInvokeError();
                    if (errno != Errno.EINTR) return (written, errno);
                }
            }
            return (written, 0);
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>
    /// Blocks until <paramref name="handle"/> can take a write, or its reader is gone (then the next write says EPIPE),
    /// retrying on EINTR. For a writer that must never block the thread it shares (a full pipe to a slow reader): the
    /// waiting happens on a thread of its own, only while something is left to write.
    /// </summary>
    public static void WaitWritable(SafeHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            var poll = new PollFd { Fd = (int)handle.DangerousGetHandle(), Events = POLLOUT };
            while (Poll(&poll, 1, -1) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR) { }
        }
        catch (ObjectDisposedException)
        {
            // closed meanwhile: the writer finds out at its next write
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    /// <summary>Points <paramref name="fd"/> at /dev/null (to detach a standard stream).</summary>
    public static void RedirectToDevNull(int fd)
    {
        var devNull = Open("/dev/null", O_RDWR);
        if (devNull < 0 || devNull == fd) return;
        Dup3(devNull, fd, 0);
        Close(devNull);
    }
}
