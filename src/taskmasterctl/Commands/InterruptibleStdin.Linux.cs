// fg forwards what the user types, and must leave on Ctrl-C without a read of stdin left pending: in the shell the
// line editor reads the next command from the same terminal, and a stray read would swallow it. A blocked read(2)
// cannot be cancelled, so this reader waits in poll(2) on fd 0 and on an eventfd that cancellation signals, and
// reads only once fd 0 has data. On a terminal in canonical mode fd 0 becomes readable when a whole line is typed,
// so each read returns one line, newline included (Ctrl-D on an empty line reads 0 bytes: end of input).
// Reading fd 0 directly (not Console.In) also means no managed buffer holds input back from the process.
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Ctl.Commands;

/// <summary>Reads raw chunks (lines, on a terminal) from fd 0; a cancellation ends a wait at once.</summary>
internal sealed unsafe class InterruptibleStdin : IDisposable
{
    private readonly int _wake;

    public InterruptibleStdin()
    {
        _wake = Descriptors.EventFd(0, Descriptors.EFD_CLOEXEC | Descriptors.EFD_NONBLOCK);
        if (_wake < 0)
            throw new IOException($"eventfd: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
    }

    /// <summary>Blocks until input, end of input or cancellation. Returns the bytes read; 0 at end of input or once
    /// <paramref name="ct"/> is cancelled (then nothing was read).</summary>
    public int Read(Span<byte> buffer, CancellationToken ct)
    {
        using var wakeOnCancel = ct.Register(static state => ((InterruptibleStdin)state!).Wake(), this);
        var fds = stackalloc Descriptors.PollFd[2];
        fds[0] = new Descriptors.PollFd { Fd = 0, Events = Descriptors.POLLIN };
        fds[1] = new Descriptors.PollFd { Fd = _wake, Events = Descriptors.POLLIN };
        while (true)
        {
            if (ct.IsCancellationRequested) return 0;
            if (Descriptors.Poll(fds, 2, -1) < 0)
            {
                var errno = Marshal.GetLastPInvokeError();
                if (errno == Errno.EINTR) continue; // Ctrl-C's own signal: the cancellation it causes wakes us next
                throw new IOException($"poll: {Marshal.GetPInvokeErrorMessage(errno)}");
            }
            if (fds[1].Revents != 0 || ct.IsCancellationRequested) return 0;
            if (fds[0].Revents == 0) continue;
            // Readable, hung up or invalid: read tells which (data, 0 for end of input, or an error we treat as the end).
            fixed (byte* p = buffer)
            {
                nint n;
                while ((n = Descriptors.Read(0, p, buffer.Length)) < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                }
                return n < 0 ? 0 : (int)n;
            }
        }
    }

    private void Wake()
    {
        ulong one = 1;
        _ = Descriptors.Write(_wake, &one, sizeof(ulong));
    }

    public void Dispose() => Descriptors.Close(_wake);
}
