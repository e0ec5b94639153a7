// Drains one child pipe into its log file until end of file. The read end is wrapped in the runtime's
// pipe stream, whose async reads wait in the shared epoll loop instead of parking a pool thread per
// pipe (a FileStream would, and starves the pool at a few hundred children). The buffer adapts: an
// idle or chatty child holds a small one; a flooding child gets a large pooled one, so each read
// moves up to LargeBuffer bytes, and gives it back when it calms down.
using System.Buffers;
using System.IO.Pipes;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Logging;

/// <summary>Copies one pipe's content into a <see cref="RotatingLogFile"/> (or nowhere) until EOF.</summary>
internal static class OutputPump
{
    internal const int SmallBuffer = 4 * 1024;
    internal const int LargeBuffer = 128 * 1024;
    private const int QuietReadsBeforeShrinking = 32;

    /// <summary>Takes ownership of <paramref name="pipe"/> and reads it to EOF.</summary>
    public static async Task RunAsync(SafeFileHandle pipe, RotatingLogFile? file, string processName, ILogger logger)
    {
        // Hand the descriptor over to a SafePipeHandle; the SafeFileHandle must then forget it. Ownership
        // matters: with ownsHandle: false the stream fell back to blocking reads (300 idle pipes starved
        // the pool in a test), so the epoll path needs the pipe handle to own its descriptor.
        var fd = pipe.DangerousGetHandle();
        pipe.SetHandleAsInvalid();
        byte[] small = new byte[SmallBuffer];
        byte[]? large = null;
        int pending = 0; // bytes of an unfinished line kept at the start of the buffer
        int quietReads = 0;
        try
        {
            using var stream = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
            while (true)
            {
                byte[] buffer = large ?? small;
                int read = await stream.ReadAsync(buffer.AsMemory(pending)).ConfigureAwait(false);
                if (read == 0)
                {
                    file?.Write(buffer.AsSpan(0, pending));
                    return;
                }
                int total = pending + read;
                bool full = total == buffer.Length;
                pending = 0;
                // A full buffer means the child is ahead of us and the rest of a cut line is already in
                // the pipe: hold the unfinished line back so that it reaches the file whole, rather
                // than with the other stream's output (or a rotation) in its middle.
                int lastNewline = full ? buffer.AsSpan(0, total).LastIndexOf((byte)'\n') : -1;
                int ready = lastNewline >= 0 ? lastNewline + 1 : total;
                file?.Write(buffer.AsSpan(0, ready));
                pending = total - ready;

                if (large is null)
                {
                    if (full)
                    {
                        large = ArrayPool<byte>.Shared.Rent(LargeBuffer);
                        small.AsSpan(ready, pending).CopyTo(large);
                        continue;
                    }
                }
                else if (read < LargeBuffer / 8 && pending <= SmallBuffer / 2 && ++quietReads >= QuietReadsBeforeShrinking)
                {
                    large.AsSpan(ready, pending).CopyTo(small);
                    ArrayPool<byte>.Shared.Return(large);
                    large = null;
                    quietReads = 0;
                    continue;
                }
                else if (read >= LargeBuffer / 8)
                {
                    quietReads = 0;
                }
                if (pending > 0)
                    buffer.AsSpan(ready, pending).CopyTo(buffer);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // A broken pipe ends the stream like EOF does; only say so, nothing else to recover.
            logger.PipeReadFailed(processName, e.Message);
        }
        finally
        {
            if (large is not null)
                ArrayPool<byte>.Shared.Return(large);
        }
    }
}
