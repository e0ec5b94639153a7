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
        // Hand the descriptor over to a SafePipeHandle; the SafeFileHandle must then forget it.
        var fd = pipe.DangerousGetHandle();
        pipe.SetHandleAsInvalid();
        byte[] small = new byte[SmallBuffer];
        byte[]? large = null;
        int quietReads = 0;
        try
        {
            using var stream = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(fd, ownsHandle: true));
            while (true)
            {
                byte[] buffer = large ?? small;
                int read = await stream.ReadAsync(buffer).ConfigureAwait(false);
                if (read == 0)
                    return;
                file?.Write(buffer.AsSpan(0, read));
                if (large is null)
                {
                    if (read == buffer.Length)
                        large = ArrayPool<byte>.Shared.Rent(LargeBuffer);
                }
                else if (read < LargeBuffer / 8 && ++quietReads >= QuietReadsBeforeShrinking)
                {
                    ArrayPool<byte>.Shared.Return(large);
                    large = null;
                    quietReads = 0;
                }
                else if (read >= LargeBuffer / 8)
                {
                    quietReads = 0;
                }
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
