// Opening log targets with plain open(2), because FileStream cannot express what a log target needs:
// O_APPEND (an external "copytruncate" rotation keeps working), O_NONBLOCK on open (a FIFO without a
// reader fails with ENXIO instead of hanging the caller in open(2)), and a cheap seekability probe
// (a tty, a pipe or a FIFO such as /dev/stdout must never be seeked: supervisord dies there with
// "Illegal seek").
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;

namespace Taskmaster.Logging;

/// <summary>Opening and probing log targets with Linux system calls.</summary>
internal static class LogFileHandles
{
    private const uint DefaultMode = 0x1B6; // 0666, narrowed by the daemon's umask like any created file

    /// <summary>Opens <paramref name="path"/> for appending, creating it when <paramref name="create"/>.
    /// Throws <see cref="IOException"/> with the system's reason on failure.</summary>
    public static SafeFileHandle OpenForAppend(string path, bool create = true)
    {
        int flags = Descriptors.O_WRONLY | Descriptors.O_APPEND | Descriptors.O_NONBLOCK | Descriptors.O_CLOEXEC
            | (create ? Descriptors.O_CREAT : 0);
        int fd = Descriptors.Open(path, flags, DefaultMode);
        if (fd < 0)
            throw LastError(path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // O_NONBLOCK was only for the open; writes block, so a slow reader of a FIFO target slows only
        // the pipe that feeds it (read on a thread of its own, see OutputPump), never loses data.
        if (Descriptors.ClearNonBlocking(fd) is not 0 and var errno)
        {
            handle.Dispose();
            throw Error(errno, path);
        }
        return handle;
    }

    /// <summary>Creates <paramref name="path"/> empty when nothing exists there (not even a dangling symlink);
    /// touches nothing that exists. Best effort: failures are silent.</summary>
    public static void CreateIfMissing(string path)
    {
        int fd = Descriptors.Open(path, Descriptors.O_WRONLY | Descriptors.O_CREAT | Descriptors.O_EXCL | Descriptors.O_CLOEXEC, DefaultMode);
        if (fd >= 0)
            Descriptors.Close(fd);
    }

    /// <summary>A reference to <paramref name="path"/>'s inode that keeps it alive after an unlink, without
    /// needing read permission (O_PATH); null when there is no such file (or it cannot be held).</summary>
    public static SafeFileHandle? TryHoldForRetirement(string path)
    {
        int fd = Descriptors.Open(path, Descriptors.O_PATH | Descriptors.O_CLOEXEC);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Writes all of <paramref name="data"/> with write(2): appends to a file (O_APPEND), and works
    /// on pipes, FIFOs and terminals, where the runtime's positional writes refuse to go.</summary>
    public static void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> data, string path)
    {
        var (_, errno) = Descriptors.WriteAll(handle, data);
        if (errno != 0)
            throw Error(errno, path);
    }

    /// <summary>False for pipes, FIFOs, sockets and terminals, which must be written without seeking.</summary>
    public static bool IsSeekable(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Descriptors.Lseek((int)handle.DangerousGetHandle(), 0, Descriptors.SEEK_CUR) >= 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static IOException LastError(string path) => Error(Marshal.GetLastPInvokeError(), path);

    private static IOException Error(int errno, string path) =>
        new($"{Marshal.GetPInvokeErrorMessage(errno)} ('{path}')", errno);
}
