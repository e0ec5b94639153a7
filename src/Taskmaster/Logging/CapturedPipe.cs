// One child pipe under capture: its descriptor (non-blocking, owned from registration to EOF), its log
// file, the unfinished line held back across a switch of reader, and the task its owner awaits.
//
// A pipe is read by one reader at a time, and a hand-over is always a clean cut (the fd leaves the
// reactor's epoll set before a flood thread touches it, and the other way round), so the fields need no
// lock: ownership itself is the synchronisation, published by the queue and the thread start between them.
//
// The held-back line: a read that fills the buffer means the rest of a cut line is already in the pipe,
// so the unfinished tail is kept and written together with its end, rather than with the other stream's
// output (or a rotation) in its middle. Only that case holds bytes back; a read that leaves room writes
// everything, an unfinished line included, as the child may well be waiting for input after a prompt.
// The held bytes live in a small array allocated only while something is held, so an idle pipe costs
// this object and its task, no buffer.
using System.Buffers;
using Microsoft.Extensions.Logging;
using Taskmaster.Posix;

namespace Taskmaster.Logging;

/// <summary>The capture state of one child pipe, read by the reactor or by a thread of its own.</summary>
/// <param name="counters">Where the bytes read are counted, and <paramref name="isStderr"/> under which stream; null: not counted.</param>
/// <param name="stamper">Stamps the stream's lines on their way into <paramref name="file"/>; null: written as read.</param>
internal sealed class CapturedPipe(int fd, RotatingLogFile? file, string processName, ILogger logger, IOutputTap? tap = null,
    OutputCounters? counters = null, bool isStderr = false, LineStamper? stamper = null)
{
    /// <summary>A flood thread's buffer: large, so that one read moves up to a megabyte.</summary>
    internal const int LargeBuffer = 1024 * 1024;
    /// <summary>An unfinished line longer than this goes out as it is when a flood ends, rather than
    /// waiting for its end in a held-back array.</summary>
    internal const int MaxHeldBack = 2 * 1024;
    /// <summary>How long a flooding child may stay silent before its dedicated thread is given back.</summary>
    internal const int QuietMilliseconds = 200;

    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private byte[]? _held;
    private int _heldLength;
    private bool _grown;
    private bool _ended;
    private int _floodEpisodes;
    private int _slot = -1;

    public int Fd { get; } = fd;

    /// <summary>Completes once everything the child wrote is in the file and the pipe is closed.</summary>
    public Task Completion => _done.Task;

    /// <summary>Whether the target's writes may wait on its reader (a FIFO or terminal, see RotatingLogFile).</summary>
    public bool TargetMayBlock => file is { WritesMayBlock: true };

    /// <summary>How many times this pipe went to a flood thread (diagnostics, tests).</summary>
    public int FloodEpisodes => Volatile.Read(ref _floodEpisodes);

    /// <summary>The pipe's place in the reactor's table while it is registered there, else -1. Written by the
    /// reactor thread only; read elsewhere by tests.</summary>
    internal int Slot
    {
        get => Volatile.Read(ref _slot);
        set => Volatile.Write(ref _slot, value);
    }

    /// <summary>Reads once (the reactor's level-triggered readiness), with <paramref name="scratch"/> as the
    /// buffer shared by every calm pipe. Full: the child is ahead of us, hand the pipe to a flood thread.</summary>
    public ReadOutcome ReadOnce(byte[] scratch)
    {
        int held = TakeHeld(scratch);
        int read = Read(scratch.AsSpan(held));
        if (read == PipeReads.WouldBlock)
        {
            Hold(scratch.AsSpan(0, held));
            return ReadOutcome.Calm;
        }
        if (read == 0)
        {
            Emit(scratch.AsSpan(0, held));
            return ReadOutcome.Ended;
        }
        bool full = Deliver(scratch, ref held, read);
        Hold(scratch.AsSpan(0, held));
        return full ? ReadOutcome.Flooding : ReadOutcome.Calm;
    }

    /// <summary>A flood episode on a dedicated thread: read with a large buffer until EOF (true) or until
    /// the child has been quiet for a moment (false: the pipe goes back to the reactor).</summary>
    public bool DrainFlood()
    {
        Interlocked.Increment(ref _floodEpisodes);
        if (!_grown)
        {
            PipeReads.TryGrow(Fd, LargeBuffer);
            _grown = true;
        }
        byte[] large = ArrayPool<byte>.Shared.Rent(LargeBuffer);
        try
        {
            return Drain(large, QuietMilliseconds);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(large);
        }
    }

    /// <summary>Reads to EOF on the calling thread, never giving the pipe back: for a target whose writes
    /// may block (a FIFO, a terminal), which must not hold up the reactor and every other pipe with it.</summary>
    public void DrainToEnd(int bufferBytes) => Drain(new byte[bufferBytes], quietMs: -1);

    /// <summary>Closes the pipe and completes <see cref="Completion"/>; everything read is already written.</summary>
    public void Finish()
    {
        Descriptors.Close(Fd);
        _done.TrySetResult();
    }

    private bool Drain(byte[] buffer, int quietMs)
    {
        int held = TakeHeld(buffer);
        while (true)
        {
            int read = Read(buffer.AsSpan(held));
            if (read == PipeReads.WouldBlock)
            {
                if (Wait(quietMs))
                    continue;
                break; // quiet: back to the reactor
            }
            if (read == 0)
            {
                Emit(buffer.AsSpan(0, held));
                return true;
            }
            Deliver(buffer, ref held, read);
        }
        // The child has been silent for a while: an unfinished line too long to hold goes out as it is.
        if (held > MaxHeldBack)
        {
            Emit(buffer.AsSpan(0, held));
            held = 0;
        }
        Hold(buffer.AsSpan(0, held));
        return false;
    }

    /// <summary>poll(2); a failure ends the stream like a broken pipe does (the next read sees EOF).</summary>
    private bool Wait(int timeoutMs)
    {
        try
        {
            return PipeReads.WaitReadable(Fd, timeoutMs);
        }
        catch (IOException e)
        {
            logger.PipeReadFailed(processName, e.Message);
            _ended = true;
            return true;
        }
    }

    /// <summary>read(2), with a broken pipe ending the stream like EOF does (only said, nothing to recover).</summary>
    private int Read(Span<byte> into)
    {
        if (_ended)
            return 0;
        try
        {
            int read = PipeReads.TryReadNow(Fd, into);
            if (read > 0) counters?.Add(isStderr, read);
            return read;
        }
        catch (IOException e)
        {
            logger.PipeReadFailed(processName, e.Message);
            _ended = true;
            return 0;
        }
    }

    /// <summary>
    /// Writes the complete part of <paramref name="buffer"/> (held + read bytes) and moves the rest to its
    /// start. Returns whether the buffer was full, i.e. the child is ahead of us.
    /// </summary>
    private bool Deliver(byte[] buffer, ref int held, int read)
    {
        int total = held + read;
        bool full = total == buffer.Length;
        int lastNewline = full ? buffer.AsSpan(0, total).LastIndexOf((byte)'\n') : -1;
        int ready = lastNewline >= 0 ? lastNewline + 1 : total;
        Emit(buffer.AsSpan(0, ready));
        held = total - ready;
        if (held > 0)
            buffer.AsSpan(ready, held).CopyTo(buffer);
        return full;
    }

    /// <summary>Into the log file (stamped when the stream has stamps), and to the tap, as read, when it has one.</summary>
    private void Emit(ReadOnlySpan<byte> data)
    {
        if (stamper is null)
            file?.Write(data);
        else if (file is not null)
            stamper.Write(file, data);
        if (tap is not null && !data.IsEmpty)
            tap.Observe(data);
    }

    private int TakeHeld(byte[] buffer)
    {
        int held = _heldLength;
        if (held > 0)
            _held.AsSpan(0, held).CopyTo(buffer);
        _heldLength = 0;
        return held;
    }

    private void Hold(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            _held = null; // the common case: nothing held, nothing kept alive
            return;
        }
        if (_held is null || _held.Length < bytes.Length)
            _held = new byte[bytes.Length];
        bytes.CopyTo(_held);
        _heldLength = bytes.Length;
    }

    /// <summary>What one read by the reactor found.</summary>
    public enum ReadOutcome
    {
        /// <summary>Read what there was (or nothing yet); the pipe stays with the reactor.</summary>
        Calm,
        /// <summary>The read filled the shared buffer: the pipe goes to a flood thread.</summary>
        Flooding,
        /// <summary>End of file: everything is written; the pipe can be closed.</summary>
        Ended,
    }
}
