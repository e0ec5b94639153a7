// Drains one child pipe into its log file until end of file, in two modes.
// Calm: the read end is wrapped in the runtime's pipe stream, whose async reads wait in the shared
// epoll loop instead of parking a thread per pipe (a FileStream would, and starves the pool at a few
// hundred children); a small buffer suffices.
// Flooding (a read filled the buffer): the pipe is enlarged, the pump takes a large pooled buffer and
// moves to a dedicated thread that waits with poll(2) and reads with read(2) directly (PipeReads).
// Under a flood the calm path paid, per read, an epoll wake-up, a hop to a pool worker and that
// worker's spinning, which cost more than the copying (perf, docs/BENCHMARKS.md); the dedicated thread
// is woken by the writer itself and reads up to a megabyte at a time. When the child has been quiet
// for a moment the thread ends and the pump goes back to the calm path, so idle children cost no thread.
using System.Buffers;
using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Logging;

/// <summary>Copies one pipe's content into a <see cref="RotatingLogFile"/> (or nowhere) until EOF.</summary>
internal static class OutputPump
{
    internal const int SmallBuffer = 4 * 1024;
    internal const int LargeBuffer = 1024 * 1024;
    // How long a flooding child may stay silent before its dedicated thread is given back.
    private const int QuietMilliseconds = 200;

    /// <summary>Takes ownership of <paramref name="pipe"/> and reads it to EOF.</summary>
    public static async Task RunAsync(SafeFileHandle pipe, RotatingLogFile? file, string processName, ILogger logger)
    {
        // Hand the descriptor over to a SafePipeHandle; the SafeFileHandle must then forget it. Ownership
        // matters: with ownsHandle: false the stream fell back to blocking reads (300 idle pipes starved
        // the pool in a test), so the epoll path needs the pipe handle to own its descriptor.
        var fd = pipe.DangerousGetHandle();
        pipe.SetHandleAsInvalid();
        byte[] small = new byte[SmallBuffer];
        int pending = 0; // bytes of an unfinished line kept at the start of the buffer
        bool grown = false;
        try
        {
            using var stream = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
            while (true)
            {
                int read = await stream.ReadAsync(small.AsMemory(pending)).ConfigureAwait(false);
                if (read == 0)
                {
                    file?.Write(small.AsSpan(0, pending));
                    return;
                }
                bool full = Deliver(small, ref pending, read, file);
                if (!full)
                    continue;

                if (!grown)
                {
                    PipeReads.TryGrow((int)fd, LargeBuffer);
                    grown = true;
                }
                var flood = new FloodState((int)fd, small, pending, file);
                await Task.Factory.StartNew(static s => ((FloodState)s!).Drain(), flood,
                    CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false);
                pending = flood.Pending;
                if (flood.ReachedEnd)
                    return;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A broken pipe ends the stream like EOF does; only say so, nothing else to recover.
            logger.PipeReadFailed(processName, e.Message);
        }
    }

    /// <summary>
    /// Writes the complete part of <paramref name="buffer"/> (pending + read bytes) and moves the rest
    /// to its start. Returns whether the buffer was full, i.e. the child is ahead of us.
    /// </summary>
    private static bool Deliver(byte[] buffer, ref int pending, int read, RotatingLogFile? file)
    {
        int total = pending + read;
        bool full = total == buffer.Length;
        // A full buffer means the rest of a cut line is already in the pipe: hold the unfinished line
        // back so that it reaches the file whole, rather than with the other stream's output (or a
        // rotation) in its middle.
        int lastNewline = full ? buffer.AsSpan(0, total).LastIndexOf((byte)'\n') : -1;
        int ready = lastNewline >= 0 ? lastNewline + 1 : total;
        file?.Write(buffer.AsSpan(0, ready));
        pending = total - ready;
        if (pending > 0)
            buffer.AsSpan(ready, pending).CopyTo(buffer);
        return full;
    }

    /// <summary>One flood episode on its own thread: read and write until EOF or a quiet moment.</summary>
    private sealed class FloodState(int fd, byte[] small, int pending, RotatingLogFile? file)
    {
        public int Pending { get; private set; } = pending;
        public bool ReachedEnd { get; private set; }

        public void Drain()
        {
            byte[] large = ArrayPool<byte>.Shared.Rent(LargeBuffer);
            int held = Pending;
            small.AsSpan(0, held).CopyTo(large);
            try
            {
                while (true)
                {
                    int read = PipeReads.TryReadNow(fd, large.AsSpan(held));
                    if (read == PipeReads.WouldBlock)
                    {
                        if (PipeReads.WaitReadable(fd, QuietMilliseconds))
                            continue;
                        break; // quiet: back to the calm path
                    }
                    if (read == 0)
                    {
                        file?.Write(large.AsSpan(0, held));
                        held = 0;
                        ReachedEnd = true;
                        return;
                    }
                    Deliver(large, ref held, read, file);
                }
                // The child has been silent for a while: an unfinished line that no longer fits the
                // small buffer goes out as it is.
                if (held > SmallBuffer / 2)
                {
                    file?.Write(large.AsSpan(0, held));
                    held = 0;
                }
                large.AsSpan(0, held).CopyTo(small);
            }
            finally
            {
                Pending = held;
                ArrayPool<byte>.Shared.Return(large);
            }
        }
    }
}
