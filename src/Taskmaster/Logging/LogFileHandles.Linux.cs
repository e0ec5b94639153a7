// Opening log targets with plain open(2), because FileStream cannot express what a log target needs:
// O_APPEND (an external "copytruncate" rotation keeps working), O_NONBLOCK on open (a FIFO without a
// reader fails with ENXIO instead of hanging the caller in open(2)), and a cheap seekability probe
// (a tty, a pipe or a FIFO such as /dev/stdout must never be seeked: supervisord dies there with
// "Illegal seek").
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Logging;

/// <summary>Linux system calls for opening and probing log targets.</summary>
internal static partial class LogFileHandles
{
    private const int O_WRONLY = 0x1;
    private const int O_CREAT = 0x40;
    private const int O_APPEND = 0x400;
    private const int O_NONBLOCK = 0x800;
    private const int O_CLOEXEC = 0x80000;
    private const int F_GETFL = 3;
    private const int F_SETFL = 4;
    private const int SEEK_CUR = 1;
    private const int DefaultMode = 0x1B6; // 0666, narrowed by the daemon's umask like any created file

    [LibraryImport("libc", EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(SafeFileHandle fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "lseek", SetLastError = true)]
    private static partial long Lseek(SafeFileHandle fd, long offset, int whence);

    /// <summary>Opens <paramref name="path"/> for appending, creating it when <paramref name="create"/>.
    /// Throws <see cref="IOException"/> with the system's reason on failure.</summary>
    public static SafeFileHandle OpenForAppend(string path, bool create = true)
    {
        int flags = O_WRONLY | O_APPEND | O_NONBLOCK | O_CLOEXEC | (create ? O_CREAT : 0);
        int fd = Open(path, flags, DefaultMode);
        if (fd < 0)
            throw LastError(path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        // O_NONBLOCK was only for the open; writes block, so a slow reader of a FIFO target slows only
        // the pipe that feeds it (read on a thread of its own, see OutputPump), never loses data.
        int current = Fcntl(handle, F_GETFL, 0);
        if (current < 0 || Fcntl(handle, F_SETFL, current & ~O_NONBLOCK) < 0)
        {
            var error = LastError(path);
            handle.Dispose();
            throw error;
        }
        return handle;
    }

    private const int O_EXCL = 0x80;

    /// <summary>Creates <paramref name="path"/> empty when nothing exists there (not even a dangling symlink);
    /// touches nothing that exists. Best effort: failures are silent.</summary>
    public static void CreateIfMissing(string path)
    {
        int fd = Open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, DefaultMode);
        if (fd >= 0)
            Spawning.LibC.Close(fd);
    }

    private const int O_PATH = 0x200000;

    /// <summary>A reference to <paramref name="path"/>'s inode that keeps it alive after an unlink, without
    /// needing read permission (O_PATH); null when there is no such file (or it cannot be held).</summary>
    public static SafeFileHandle? TryHoldForRetirement(string path)
    {
        int fd = Open(path, O_PATH | O_CLOEXEC, 0);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(SafeFileHandle fd, byte* buffer, nint count);

    /// <summary>Writes all of <paramref name="data"/> with write(2): appends to a file (O_APPEND), and works
    /// on pipes, FIFOs and terminals, where the runtime's positional writes refuse to go.</summary>
    public static unsafe void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> data, string path)
    {
        const int EINTR = 4;
        fixed (byte* start = data)
        {
            int done = 0;
            while (done < data.Length)
            {
                nint written = Write(handle, start + done, data.Length - done);
                if (written < 0)
                {
                    if (Marshal.GetLastPInvokeError() == EINTR)
                        continue;
                    throw LastError(path);
                }
                done += (int)written;
            }
        }
    }

    /// <summary>False for pipes, FIFOs, sockets and terminals, which must be written without seeking.</summary>
    public static bool IsSeekable(SafeFileHandle handle) => Lseek(handle, 0, SEEK_CUR) >= 0;

    private static IOException LastError(string path)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{Marshal.GetPInvokeErrorMessage(errno)} ('{path}')", errno);
    }
}
