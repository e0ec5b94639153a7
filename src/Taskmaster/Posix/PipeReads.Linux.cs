// System calls on a child's pipe read end, shared by the reactor (PipeReactor) and the threads that drain
// a flooding pipe (CapturedPipe): non-blocking read(2), poll(2) to wait on one pipe, and F_SETPIPE_SZ so
// that one read moves up to a megabyte.
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>Direct non-blocking reads and capacity changes on a child's pipe.</summary>
internal static class PipeReads
{
    /// <summary>read(2) found nothing to read on a non-blocking descriptor.</summary>
    public const int WouldBlock = -1;

    /// <summary>Makes reads on <paramref name="fd"/> return at once when the pipe is empty: the reactor and
    /// the flood threads wait with epoll/poll, never inside read(2).</summary>
    public static void MakeNonBlocking(int fd)
    {
        int errno = Descriptors.SetNonBlocking(fd);
        if (errno != 0)
            throw new IOException($"fcntl(O_NONBLOCK): {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }

    /// <summary>Blocks the calling thread until the pipe can be read (data, EOF or an error) or the
    /// timeout passes (-1: never); returns false on timeout.</summary>
    public static unsafe bool WaitReadable(int fd, int timeoutMs)
    {
        var entry = new Descriptors.PollFd { Fd = fd, Events = Descriptors.POLLIN };
        while (true)
        {
            int n = Descriptors.Poll(&entry, 1, timeoutMs);
            if (n > 0)
                return true; // POLLIN, POLLHUP or POLLERR: the next read tells which
            if (n == 0)
                return false;
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                throw LastError("poll");
        }
    }

    /// <summary>Reads what the pipe holds now: the byte count (0 at end of file) or <see cref="WouldBlock"/>.</summary>
    public static unsafe int TryReadNow(int fd, Span<byte> buffer)
    {
        fixed (byte* p = buffer)
        {
            while (true)
            {
                nint n = Descriptors.Read(fd, p, buffer.Length);
                if (n >= 0)
                    return (int)n;
                int errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR)
                    continue;
                if (errno == Errno.EAGAIN)
                    return WouldBlock;
                throw new IOException($"read: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
            }
        }
    }

    /// <summary>Asks for a larger pipe so that one read moves more; best effort (the kernel caps it at
    /// /proc/sys/fs/pipe-max-size and per-user limits, and the old size stays on refusal).</summary>
    public static void TryGrow(int fd, int bytes) => _ = Descriptors.Fcntl(fd, Descriptors.F_SETPIPE_SZ, bytes);

    private static IOException LastError(string call)
    {
        int errno = Marshal.GetLastPInvokeError();
        return new IOException($"{call}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
