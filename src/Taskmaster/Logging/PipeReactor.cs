// Every calm child pipe of the process is read by ONE thread, "taskmaster-logs", from ONE epoll set.
//
// Why not the runtime's pipe streams: on Unix each one is a Socket with a SocketAsyncContext registered in the
// runtime's own epoll engine, plus a buffer and an async state machine per pipe, and every readiness costs a
// wake-up of the engine thread and a hop to a pool worker. With many programs that is most of the daemon's
// memory beyond the runtime, and a mass stop spends its time in pool workers seeing EOFs (docs/BENCHMARKS.md
// § Design costs). Here a pipe costs a CapturedPipe, its Task and one epoll entry; one 64 KB
// buffer serves them all, and the file writes happen on this thread (a write is a write(2) into the page
// cache; a full disk fails at once and is counted as dropped by RotatingLogFile).
//
// Level-triggered EPOLLIN (EPOLLHUP comes with it when the writer closes): one read per readiness, so a busy
// pipe cannot starve the others, and what is left is reported again by the next epoll_wait. A read that
// fills the buffer means the child is ahead of us: the pipe leaves the set and a dedicated flood thread
// drains it with a large buffer (CapturedPipe.DrainFlood) until the child is quiet, then gives it back
// through the arrival queue. At EOF the held-back bytes are written, the fd leaves the set and is closed,
// and the pipe's task completes (its continuations run on the pool, never on this thread).
//
// Registration: other threads only enqueue and poke an eventfd; the table of registered pipes (slot -> pipe,
// the slot travels in epoll's data word) is touched by this thread alone, and new arrivals are taken after a
// batch of events, so a slot freed in a batch is never reused while that batch may still name it.
//
// Lifetime: started on first use and then runs for the life of the process, like the child reaper (a
// background thread blocked in epoll_wait, an epoll fd and an eventfd).
using System.Collections.Concurrent;
using Taskmaster.Posix;

namespace Taskmaster.Logging;

/// <summary>Drains every calm child pipe on one thread with one epoll set.</summary>
internal sealed unsafe class PipeReactor
{
    /// <summary>The buffer shared by all calm pipes: a default pipe's capacity, so filling it means a backlog.</summary>
    internal const int ScratchBytes = 64 * 1024;
    private const int MaxEventsPerWait = 256;
    private const ulong WakeToken = ulong.MaxValue;

    private static readonly Lock StartGate = new();
    private static PipeReactor? s_shared;

    private readonly int _epollFd;
    private readonly int _wakeFd;
    private readonly ConcurrentQueue<CapturedPipe> _arrivals = new();
    private readonly List<CapturedPipe?> _slots = [];
    private readonly Stack<int> _freeSlots = new();
    private readonly byte[] _scratch = new byte[ScratchBytes];
    private int _wakePending;
    private int _watched;

    private PipeReactor(int epollFd, int wakeFd)
    {
        _epollFd = epollFd;
        _wakeFd = wakeFd;
    }

    /// <summary>Pipes currently in the epoll set (not counting those on a flood thread).</summary>
    public int Watched => Volatile.Read(ref _watched);

    /// <summary>The process's reactor, started on first use; null if its descriptors cannot be created
    /// (EMFILE): callers then drain on a thread of their own.</summary>
    public static PipeReactor? TryGetShared()
    {
        var shared = Volatile.Read(ref s_shared);
        if (shared is not null)
            return shared;
        lock (StartGate)
        {
            if (s_shared is not null)
                return s_shared;
            int epollFd = Epoll.Create1(Epoll.EPOLL_CLOEXEC);
            if (epollFd < 0)
                return null;
            int wakeFd = Descriptors.EventFd(0, Descriptors.EFD_CLOEXEC | Descriptors.EFD_NONBLOCK);
            if (wakeFd < 0 || Epoll.AddReadable(epollFd, wakeFd, WakeToken) != 0)
            {
                if (wakeFd >= 0)
                    Descriptors.Close(wakeFd);
                Descriptors.Close(epollFd);
                return null;
            }
            var reactor = new PipeReactor(epollFd, wakeFd);
            new Thread(reactor.Loop) { IsBackground = true, Name = "taskmaster-logs" }.Start();
            Volatile.Write(ref s_shared, reactor);
            return reactor;
        }
    }

    /// <summary>Hands <paramref name="pipe"/> (non-blocking, owned by the capture) to the reactor; returns at once.</summary>
    public void Add(CapturedPipe pipe)
    {
        _arrivals.Enqueue(pipe);
        // One poke is enough for any number of arrivals: the reactor clears the flag before it empties the queue.
        if (Interlocked.Exchange(ref _wakePending, 1) == 0)
        {
            ulong one = 1;
            Descriptors.Write(_wakeFd, &one, sizeof(ulong)); // cannot fail short of a bug: the counter never nears overflow
        }
    }

    private void Loop()
    {
        byte* events = stackalloc byte[MaxEventsPerWait * 16];
        while (true)
        {
            // A capture that quietly stopped would leave every child blocked on a full pipe: it fails loudly instead.
            int ready = Epoll.WaitForever(_epollFd, events, MaxEventsPerWait, "taskmaster-logs");
            bool woken = false;
            for (int i = 0; i < ready; i++)
            {
                ulong data = Epoll.DataAt(events, i);
                if (data == WakeToken)
                {
                    woken = true;
                    continue;
                }
                var pipe = _slots[(int)data]!;
                if (pipe.TargetMayBlock)
                {
                    // A FIFO target that could not be opened at registration (no reader yet) and now is:
                    // its writes may wait, so it leaves for a thread of its own before the next one.
                    Forget(pipe);
                    StartOwnThread(pipe);
                    continue;
                }
                switch (pipe.ReadOnce(_scratch))
                {
                    case CapturedPipe.ReadOutcome.Ended:
                        Forget(pipe);
                        pipe.Finish();
                        break;
                    case CapturedPipe.ReadOutcome.Flooding:
                        Forget(pipe);
                        StartFlood(pipe);
                        break;
                }
            }
            if (woken)
                TakeArrivals();
        }
    }

    private void TakeArrivals()
    {
        // Order matters: consume the poke first, then clear the flag, then empty the queue. Cleared first, a
        // poke written in between would be consumed here while the flag stayed set, and the next arrival,
        // seeing the flag, would not poke: it would wait in the queue for whoever comes after it.
        ulong count;
        Descriptors.Read(_wakeFd, &count, sizeof(ulong)); // resets the counter; EAGAIN (nothing to read) is fine
        Interlocked.Exchange(ref _wakePending, 0);
        while (_arrivals.TryDequeue(out var pipe))
            Watch(pipe);
    }

    private void Watch(CapturedPipe pipe)
    {
        int slot = _freeSlots.Count > 0 ? _freeSlots.Pop() : AddSlot();
        if (Epoll.AddReadable(_epollFd, pipe.Fd, (ulong)slot) != 0)
        {
            // ENOMEM or the user's epoll watch limit: the pipe must still be drained, or its child blocks.
            _freeSlots.Push(slot);
            StartOwnThread(pipe);
            return;
        }
        _slots[slot] = pipe;
        pipe.Slot = slot;
        _watched++;
    }

    private void Forget(CapturedPipe pipe)
    {
        // Removed before the fd is closed or handed over: a copy of the fd held by a concurrent fork would
        // otherwise keep the registration alive and report a closed or reused fd number.
        Epoll.Ctl(_epollFd, Epoll.EPOLL_CTL_DEL, pipe.Fd, null);
        _slots[pipe.Slot] = null;
        _freeSlots.Push(pipe.Slot);
        pipe.Slot = -1;
        _watched--;
    }

    private int AddSlot()
    {
        _slots.Add(null);
        return _slots.Count - 1;
    }

    private void StartFlood(CapturedPipe pipe) =>
        new Thread(() =>
        {
            if (pipe.DrainFlood())
                pipe.Finish();
            else
                Add(pipe);
        }) { IsBackground = true, Name = "taskmaster-flood" }.Start();

    /// <summary>Drains <paramref name="pipe"/> to EOF on a thread of its own (blocking targets, or no reactor).</summary>
    public static void StartOwnThread(CapturedPipe pipe) =>
        new Thread(() =>
        {
            pipe.DrainToEnd(ScratchBytes);
            pipe.Finish();
        }) { IsBackground = true, Name = "taskmaster-pipe" }.Start();
}
