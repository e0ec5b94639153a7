// Drains one child pipe into its log file until end of file. Where the reading happens:
// - calm pipes: the process's PipeReactor, one thread and one epoll set for all of them, one shared buffer;
// - a pipe whose read filled that buffer (flooding): a dedicated thread with a megabyte buffer that waits
//   with poll(2) and reads with read(2) directly, woken by the writer itself, until the child has been quiet
//   for a moment; then the pipe goes back to the reactor, so idle children cost no thread. (Under a flood,
//   a reader shared with other pipes pays a wake-up per read, which costs more than the copying:
//   docs/BENCHMARKS.md.)
// - a pipe whose target may block (a FIFO or terminal log target, e.g. /dev/stdout): a thread of its own
//   for its whole life, so that a slow reader of that target slows only this pipe, never the reactor.
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;

namespace Taskmaster.Logging;

/// <summary>Copies one pipe's content into a <see cref="RotatingLogFile"/> (or nowhere) until EOF.</summary>
internal static class OutputPump
{
    /// <summary>Takes ownership of <paramref name="pipe"/> and reads it to EOF; the task completes when all of
    /// it is written and the pipe is closed. Returns at once: the reading happens elsewhere.</summary>
    public static Task RunAsync(SafeFileHandle pipe, RotatingLogFile? file, string processName, ILogger logger, IOutputTap? tap = null,
        OutputCounters? counters = null, bool isStderr = false, LineStamper? stamper = null) =>
        Start(pipe, file, processName, logger, tap, counters, isStderr, stamper).Completion;

    /// <summary><see cref="RunAsync"/>, returning the capture itself (tests look at where it is being read).</summary>
    internal static CapturedPipe Start(SafeFileHandle pipe, RotatingLogFile? file, string processName, ILogger logger, IOutputTap? tap = null,
        OutputCounters? counters = null, bool isStderr = false, LineStamper? stamper = null)
    {
        // The capture owns the descriptor from here on and closes it at EOF; the handle must forget it.
        int fd = (int)pipe.DangerousGetHandle();
        pipe.SetHandleAsInvalid();
        var captured = new CapturedPipe(fd, file, processName, logger, tap, counters, isStderr, stamper);
        try
        {
            PipeReads.MakeNonBlocking(fd);
        }
        catch (IOException e)
        {
            logger.PipeReadFailed(processName, e.Message);
            captured.Finish();
            return captured;
        }
        var reactor = captured.TargetMayBlock ? null : PipeReactor.TryGetShared();
        if (reactor is not null)
            reactor.Add(captured);
        else
            PipeReactor.StartOwnThread(captured);
        return captured;
    }
}
