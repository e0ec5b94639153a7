// System calls for draining a flooding child pipe on a dedicated thread (see OutputPump): poll(2) to
// wait, read(2) on the descriptor the runtime's pipe stream has already made non-blocking, and
// F_SETPIPE_SZ so that one read moves up to a megabyte.
using System.Runtime.InteropServices;

namespace Taskmaster.Logging;

/// <summary>Direct non-blocking reads and capacity changes on a child's pipe.</summary>
internal static partial class PipeReads
{
    /// <summary>read(2) found nothing to read on a non-blocking descriptor.</summary>
    public const int WouldBlock = -1;

    private const int EAGAIN = 11;
    private const int EINTR = 4;
    private const int F_SETPIPE_SZ = 1031;

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static unsafe partial nint Read(int fd, byte* buffer, nint count);

    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    private static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    private const short POLLIN = 0x1;

    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    /// <summary>Blocks the calling thread until the pipe can be read (data, EOF or an error) or the
    /// timeout passes; returns false on timeout.</summary>
    public static unsafe bool WaitReadable(int fd, int timeoutMs)
    {
        var entry = new PollFd { Fd = fd, Events = POLLIN };
        while (true)
        {
            int n = Poll(&entry, 1, timeoutMs);
            if (n > 0)
                return true; // POLLIN, POLLHUP or POLLERR: the next read tells which
            if (n == 0)
                return false;
            int errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
    }

    /// <summary>Reads what the pipe holds now: the byte count (0 at end of file) or <see cref="WouldBlock"/>.</summary>
    public static unsafe int TryReadNow(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Read(fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == EINTR)
                    continue;
                if (errno == EAGAIN)
                    return WouldBlock;
                throw new IOException($"read: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    /// <summary>Asks for a larger pipe so that one read moves more; best effort (the kernel caps it at
    /// /proc/sys/fs/pipe-max-size and per-user limits, and the old size stays on refusal).</summary>
    public static void TryGrow(int fd, int bytes) => _ = Fcntl(fd, F_SETPIPE_SZ, bytes);
}
