// The process's one reaper: it reaps ONLY the children PosixSpawner created, never anyone else's.
//
// Why not waitpid(-1): it reaps every child of the process, including those of System.Diagnostics.Process
// (or any library), which then never learn their child's exit. Instead every spawned child is named by a
// pidfd: PosixSpawner calls Register(pid) right after posix_spawn and before returning the pid, which opens
// pidfd_open(pid) (the child cannot have been reaped yet, a zombie is fine) and adds it to one epoll set.
// data.u64 carries (pid << 32 | fd), so the loop needs no table.
//
// One thread, "taskmaster-reaper", sits in epoll_wait(-1): no timeout, no polling, no waker process. A
// pidfd becomes readable when its process has exited; the thread then calls waitid(P_PIDFD, fd, WEXITED |
// WNOHANG), which reaps exactly that child, decodes the siginfo into an ExitStatus, removes the fd from the
// set and closes it. While the pidfd is open the pid cannot be recycled, so the pid we report is the child
// that exited. Registering from the spawner thread while the reaper waits is safe: epoll_ctl(ADD) on a set
// another thread is waiting on takes effect at once, and an already-exited child is reported immediately
// (level-triggered).
//
// Lifetime guarantee: the thread starts on the first Register or Subscribe and then runs for the life of the
// process (a background thread; it costs one blocked thread and two descriptors). So every spawned child is
// always reaped, never left a zombie. Its exit is delivered to the subscribers present at that moment
// (every started ExitWatcher gets every exit; each ignores pids it does not know). With no subscriber the
// exit is reaped and told to nobody: start the watcher before spawning children whose exits matter.
// Unsubscribe waits out a delivery in progress, so a disposed watcher's callback never runs afterwards.
//
// Left out on purpose: there is no stop, hence no eventfd to wake the thread; a stop/restart cycle would only
// add a window where two threads could race on the same pidfd, for no benefit.
using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

internal static unsafe class ChildReaper
{
    private const int MaxEventsPerWait = 64;

    private static readonly Lock StartGate = new();
    // Held while exits are delivered; Lock is re-entrant, so a callback may dispose (unsubscribe) its own watcher.
    private static readonly Lock DeliveryGate = new();
    private static Action<int, ExitStatus>[] s_subscribers = [];
    private static volatile int s_epollFd = -1;

    /// <summary>Starts watching <paramref name="pid"/>, a child just returned by posix_spawn and not yet
    /// waited for. Returns 0, or the errno that prevented it (the child is then NOT watched: the caller
    /// must kill and reap it itself).</summary>
    public static int Register(int pid)
    {
        var errno = EnsureRunning(out var epollFd);
        if (errno != 0)
            return errno;
        var pidFd = LibC.PidfdOpen(pid, 0);
        if (pidFd < 0)
            return Marshal.GetLastPInvokeError();
        errno = LibC.EpollAddReadable(epollFd, pidFd, ((ulong)(uint)pid << 32) | (uint)pidFd);
        if (errno != 0)
            LibC.Close(pidFd);
        return errno;
    }

    public static void Subscribe(Action<int, ExitStatus> onExit)
    {
        var errno = EnsureRunning(out _);
        if (errno != 0)
            throw new IOException($"cannot start the child reaper: epoll_create1: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        lock (DeliveryGate)
            s_subscribers = [.. s_subscribers, onExit];
    }

    /// <summary>Removes the subscriber; when it returns, a delivery in progress on another thread is over.</summary>
    public static void Unsubscribe(Action<int, ExitStatus> onExit)
    {
        lock (DeliveryGate)
            s_subscribers = [.. s_subscribers.Where(s => !ReferenceEquals(s, onExit))];
    }

    private static int EnsureRunning(out int epollFd)
    {
        epollFd = s_epollFd;
        if (epollFd >= 0)
            return 0;
        lock (StartGate)
        {
            epollFd = s_epollFd;
            if (epollFd >= 0)
                return 0;
            var fd = LibC.EpollCreate1(LibC.EPOLL_CLOEXEC);
            if (fd < 0)
                return Marshal.GetLastPInvokeError();
            new Thread(() => ReapLoop(fd)) { IsBackground = true, Name = "taskmaster-reaper" }.Start();
            s_epollFd = epollFd = fd;
            return 0;
        }
    }

    private static void ReapLoop(int epollFd)
    {
        var events = stackalloc byte[MaxEventsPerWait * 16];
        var siginfo = stackalloc byte[LibC.SiginfoBytes];
        while (true)
        {
            // A reaper that quietly stopped would leave every program looking alive forever: it fails loudly instead.
            var ready = LibC.EpollWaitForever(epollFd, events, MaxEventsPerWait, "taskmaster-reaper");
            for (var i = 0; i < ready; i++)
            {
                var data = LibC.EpollDataAt(events, i);
                var pid = (int)(data >> 32);
                var pidFd = (int)(uint)data;
                if (TryReap(epollFd, pidFd, siginfo, out var status))
                    Deliver(pid, status);
            }
        }
    }

    /// <summary>Reaps the child behind <paramref name="pidFd"/> and forgets the fd; false if there is
    /// nothing (yet) to report.</summary>
    private static bool TryReap(int epollFd, int pidFd, byte* siginfo, out ExitStatus status)
    {
        status = default;
        new Span<byte>(siginfo, LibC.SiginfoBytes).Clear();
        int rc;
        do rc = LibC.WaitId(LibC.P_PIDFD, pidFd, siginfo, LibC.WEXITED | LibC.WNOHANG);
        while (rc != 0 && Marshal.GetLastPInvokeError() == LibC.EINTR);

        // Readable yet not waitable (only conceivable while a tracer holds the zombie): keep the fd;
        // epoll reports it again once it can be reaped.
        if (rc == 0 && *(int*)(siginfo + LibC.SiPidOffset) == 0)
            return false;

        // Remove before closing: a fork in progress on another thread (Process.Start) may hold a copy of the
        // fd, which would keep the registration alive after close and report a stale, reused fd number.
        LibC.EpollCtl(epollFd, LibC.EPOLL_CTL_DEL, pidFd, null);
        LibC.Close(pidFd);

        // Failure (ECHILD) means someone reaped our child behind our back: a waitpid(-1) elsewhere in the
        // process, or SIGCHLD set to SIG_IGN (see ChildSignals). Its status is gone; there is nothing true to say.
        if (rc != 0)
            return false;
        status = Decode(siginfo);
        return true;
    }

    private static ExitStatus Decode(byte* siginfo)
    {
        var code = *(int*)(siginfo + LibC.SiCodeOffset);
        var value = *(int*)(siginfo + LibC.SiStatusOffset);
        switch (code)
        {
            case LibC.CLD_KILLED: return ExitStatus.Killed(value);
            case LibC.CLD_DUMPED: return ExitStatus.Killed(value, coreDumped: true);
            default:
                Debug.Assert(code == LibC.CLD_EXITED, $"waitid(WEXITED) gave si_code {code}");
                return ExitStatus.Exited(value & 0xff);
        }
    }

    private static void Deliver(int pid, ExitStatus status)
    {
        lock (DeliveryGate)
        {
            // The array is replaced, never mutated, so a callback that unsubscribes does not disturb this loop.
            foreach (var subscriber in s_subscribers)
            {
                try { subscriber(pid, status); }
                catch { /* a subscriber must only post; one that throws must not stop exits reaching the others */ }
            }
        }
    }
}
