// The process's one reaper: it reaps ONLY the children PosixSpawner created, never anyone else's; and, in the daemon
// alone (it starts children in no other way), the orphans it adopted as child subreaper (see the end of this note).
//
// Why not waitpid(-1): it reaps every child of the process, including those of System.Diagnostics.Process
// (or any library), which then never learn their child's exit. Instead every spawned child is named by a
// pidfd: PosixSpawner calls Register(pid) right after posix_spawn and before returning the pid, which opens
// pidfd_open(pid) (the child cannot have been reaped yet, a zombie is fine) and adds it to one epoll set.
// data.u64 carries (pid << 32 | fd), the fd's top bit marking an adopted orphan, so the loop needs no table.
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
//
// Orphans (the daemon only, see BecomeSubreaper): as child subreaper, a process whose parent dies inside a program's
// tree (a wrapper's worker once the wrapper is gone) is re-parented to us rather than to init, silently. AdoptChildren
// reads this process's children lists (/proc/self/task/*/children) and watches, through the same epoll set, every
// child not watched yet; its exit is then reaped and reported like a spawned child's, with its process group read
// just before the reap (a zombie keeps its group). Why not waitid(P_ALL) for them: it walks every child of the
// process on each call, so with many children it would cost more per exit than the whole stop of a program
// (docs/BENCHMARKS.md § Design costs); a pidfd wait is O(1). A child may end up watched twice (adopted by a sweep
// while the spawner registers it): only one waitid succeeds, the other fd reports ECHILD and is dropped.
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Reaping;

internal static unsafe class ChildReaper
{
    private const int MaxEventsPerWait = 64;
    // The low word of an event's data is the pidfd; its top bit marks an adopted orphan, whose process group is read
    // before the reap (a child of the spawner leads its own group, so its pid is its group).
    private const uint AdoptedFlag = 0x8000_0000;

    private static readonly Lock StartGate = new();
    // Held while exits are delivered; Lock is re-entrant, so a callback may dispose (unsubscribe) its own watcher.
    private static readonly Lock DeliveryGate = new();
    // Pids with a pidfd in the set, so a sweep does not adopt the same child twice (harmless, but wasted fds).
    private static readonly Lock WatchedGate = new();
    private static readonly HashSet<int> Watched = [];
    // Adopted children reaped lately (pid → Environment.TickCount64), also under WatchedGate. A sweep may adopt a child
    // the spawner has started but not registered yet, and reap it if it exits at once: Register then finds it gone
    // (ESRCH), although its exit was reported. Kept a minute, which is more than a spawn takes to be registered.
    private static readonly Dictionary<int, long> ReapedAdopted = [];
    private static readonly Queue<(int Pid, long At)> ReapedAdoptedOrder = new();
    private const long ReapedAdoptedKeptMs = 60_000;
    private static Action<ChildExit>[] s_subscribers = [];
    private static volatile int s_epollFd = -1;
    private static volatile bool s_subreaper;

    /// <summary>True once <see cref="BecomeSubreaper"/> succeeded: orphans of our programs are re-parented to us.</summary>
    public static bool IsSubreaper => s_subreaper;

    /// <summary>Starts watching <paramref name="pid"/>, a child just returned by posix_spawn and not yet
    /// waited for. Returns 0, or the errno that prevented it (the child is then NOT watched: the caller
    /// must kill and reap it itself).</summary>
    public static int Register(int pid)
    {
        var errno = EnsureRunning(out var epollFd);
        if (errno != 0)
            return errno;
        lock (WatchedGate)
            Watched.Add(pid);
        // Watched even if a sweep adopted it a moment ago: a child of the spawner must never depend on a sweep.
        errno = Watch(epollFd, pid, adopted: false);
        if (errno == 0)
            return 0;
        Forget(pid);
        lock (WatchedGate)
        {
            // Only our reaper reaps our children: gone means a sweep adopted it first, and its exit is reported.
            if (errno == Errno.ESRCH && ReapedAdopted.Remove(pid))
                return 0;
        }
        return errno;
    }

    /// <summary>
    /// Makes this process the child subreaper (prctl PR_SET_CHILD_SUBREAPER) for everything it starts from now on:
    /// orphans of our children come to us, and <see cref="AdoptChildren"/> watches them. Process-wide and for good;
    /// only for a process whose every child is ours (the daemon: System.Diagnostics.Process is banned there), since
    /// adopting reaps children nobody registered. Returns 0 or the errno.
    /// </summary>
    public static int BecomeSubreaper()
    {
        if (Processes.Prctl(Processes.PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0)
            return Marshal.GetLastPInvokeError();
        s_subreaper = true;
        return 0;
    }

    /// <summary>
    /// Watches every child of this process that is not watched yet: the orphans we adopted as subreaper (alive, or
    /// zombies already). Does nothing unless <see cref="BecomeSubreaper"/> succeeded. Returns how many it adopted.
    /// Cost: one read of /proc/self/task/TID/children per thread, O(children) (docs/BENCHMARKS.md § Design costs).
    /// </summary>
    public static int AdoptChildren()
    {
        if (!s_subreaper || EnsureRunning(out var epollFd) != 0)
            return 0;
        var adopted = 0;
        foreach (var pid in ChildrenOfThisProcess())
        {
            lock (WatchedGate)
            {
                if (!Watched.Add(pid))
                    continue;
            }
            if (Watch(epollFd, pid, adopted: true) == 0)
                adopted++;
            else
                Forget(pid); // gone already (reaped by an earlier watch): nothing to adopt
        }
        return adopted;
    }

    public static void Subscribe(Action<ChildExit> onExit)
    {
        var errno = EnsureRunning(out _);
        if (errno != 0)
            throw new IOException($"cannot start the child reaper: epoll_create1: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        lock (DeliveryGate)
            s_subscribers = [.. s_subscribers, onExit];
    }

    /// <summary>Removes the subscriber; when it returns, a delivery in progress on another thread is over.</summary>
    public static void Unsubscribe(Action<ChildExit> onExit)
    {
        lock (DeliveryGate)
            s_subscribers = [.. s_subscribers.Where(s => !ReferenceEquals(s, onExit))];
    }

    private static int Watch(int epollFd, int pid, bool adopted)
    {
        var pidFd = Processes.PidfdOpen(pid, 0);
        if (pidFd < 0)
            return Marshal.GetLastPInvokeError();
        var errno = Epoll.AddReadable(epollFd, pidFd, ((ulong)(uint)pid << 32) | (uint)pidFd | (adopted ? AdoptedFlag : 0));
        if (errno != 0)
            Descriptors.Close(pidFd);
        return errno;
    }

    private static void Forget(int pid)
    {
        lock (WatchedGate)
            Watched.Remove(pid);
    }

    private static void RememberReapedAdopted(int pid)
    {
        var now = Environment.TickCount64;
        lock (WatchedGate)
        {
            ReapedAdopted[pid] = now;
            ReapedAdoptedOrder.Enqueue((pid, now));
            while (ReapedAdoptedOrder.TryPeek(out var oldest) && now - oldest.At > ReapedAdoptedKeptMs)
            {
                ReapedAdoptedOrder.Dequeue();
                if (ReapedAdopted.TryGetValue(oldest.Pid, out var at) && at == oldest.At)
                    ReapedAdopted.Remove(oldest.Pid);
            }
        }
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
            var fd = Epoll.Create1(Epoll.EPOLL_CLOEXEC);
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
        var siginfo = stackalloc byte[Processes.SiginfoBytes];
        while (true)
        {
            // A reaper that quietly stopped would leave every program looking alive forever: it fails loudly instead.
            var ready = Epoll.WaitForever(epollFd, events, MaxEventsPerWait, "taskmaster-reaper");
            for (var i = 0; i < ready; i++)
            {
                var data = Epoll.DataAt(events, i);
                var pid = (int)(data >> 32);
                var low = (uint)data;
                var pidFd = (int)(low & ~AdoptedFlag);
                // A zombie keeps its process group until it is reaped; an error (ESRCH) leaves 0, "unknown".
                var adopted = (low & AdoptedFlag) != 0;
                var group = adopted ? Math.Max(0, Processes.GetPgid(pid)) : pid;
                // Before the reap, so a Register racing it never sees the child gone without knowing why.
                if (adopted)
                    RememberReapedAdopted(pid);
                if (TryReap(epollFd, pid, pidFd, siginfo, out var status))
                    Deliver(new ChildExit(pid, group, status));
            }
        }
    }

    /// <summary>Reaps the child behind <paramref name="pidFd"/> and forgets the fd; false if there is
    /// nothing (yet) to report.</summary>
    private static bool TryReap(int epollFd, int pid, int pidFd, byte* siginfo, out ExitStatus status)
    {
        status = default;
        new Span<byte>(siginfo, Processes.SiginfoBytes).Clear();
        int rc;
        do rc = Processes.WaitId(Processes.P_PIDFD, pidFd, siginfo, Processes.WEXITED | Processes.WNOHANG);
        while (rc != 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);

        // Readable yet not waitable (only conceivable while a tracer holds the zombie): keep the fd;
        // epoll reports it again once it can be reaped.
        if (rc == 0 && *(int*)(siginfo + Processes.SiPidOffset) == 0)
            return false;

        // Remove before closing: a fork in progress on another thread (Process.Start) may hold a copy of the
        // fd, which would keep the registration alive after close and report a stale, reused fd number.
        Epoll.Ctl(epollFd, Epoll.EPOLL_CTL_DEL, pidFd, null);
        Descriptors.Close(pidFd);
        Forget(pid);

        // Failure (ECHILD) means someone reaped our child behind our back: a waitpid(-1) elsewhere in the
        // process, or SIGCHLD set to SIG_IGN (see Signals.ResetIfIgnored); or it was watched twice and the other fd
        // reaped it. Its status is gone or told already; there is nothing true to say.
        if (rc != 0)
            return false;
        status = Decode(siginfo);
        return true;
    }

    private static ExitStatus Decode(byte* siginfo)
    {
        var code = *(int*)(siginfo + Processes.SiCodeOffset);
        var value = *(int*)(siginfo + Processes.SiStatusOffset);
        switch (code)
        {
            case Processes.CLD_KILLED: return ExitStatus.Killed(value);
            case Processes.CLD_DUMPED: return ExitStatus.Killed(value, coreDumped: true);
            default:
                Debug.Assert(code == Processes.CLD_EXITED, $"waitid(WEXITED) gave si_code {code}");
                return ExitStatus.Exited(value & 0xff);
        }
    }

    private static void Deliver(ChildExit exit)
    {
        lock (DeliveryGate)
        {
            // The array is replaced, never mutated, so a callback that unsubscribes does not disturb this loop.
            foreach (var subscriber in s_subscribers)
            {
                try { subscriber(exit); }
                catch { /* a subscriber must only post; one that throws must not stop exits reaching the others */ }
            }
        }
    }

    /// <summary>The pids of this process's children, zombies included, from each thread's children list (a child
    /// belongs to the thread that forked it, an orphan to the thread the kernel picked). A child that comes or goes
    /// during the read may be missed; whoever needs it asks again after the next exit.</summary>
    private static List<int> ChildrenOfThisProcess()
    {
        var pids = new List<int>();
        IEnumerable<string> threads;
        try { threads = Directory.EnumerateDirectories("/proc/self/task"); }
        catch (IOException) { return pids; }
        foreach (var thread in threads)
        {
            string text;
            try { text = File.ReadAllText(Path.Combine(thread, "children")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; } // the thread ended
            foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(word, NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                    pids.Add(pid);
        }
        return pids;
    }
}
