// The process's one reaper: a dedicated thread blocked in waitpid(-1, &status, 0), i.e. waitid(P_ALL, WEXITED).
//
// Children are a per-process resource, so the reaper is too: every started ExitWatcher subscribes to it and
// receives every exit (subscribers ignore pids they do not know). This keeps two watchers in one process
// (e.g. test classes running in parallel) from stealing each other's children.
//
// No exit is ever missed and nothing spins:
//   - with children, waitpid blocks until one exits;
//   - with none, waitpid fails with ECHILD at once, and the thread blocks on an event that PosixSpawner
//     sets after every successful spawn. The event is reset BEFORE each waitpid, so a spawn that happens
//     between ECHILD and the wait has set it again: the thread re-checks instead of sleeping forever.
//   - between subscribers (all watchers disposed), the thread stops; children that exit meanwhile stay
//     zombies holding their status until the next reaper collects them.
//
// Stopping: a thread in waitpid wakes only when a child exits, so the last Dispose spawns a trivial
// child (/bin/true) to wake it. Exits reaped while stopping have no subscriber left to tell.
//
// Caveat: waitpid(-1) reaps every child of the process, including ones started by
// System.Diagnostics.Process, which then never sees its exit. taskmasterd bans Process; in tests, do not
// mix the two while a watcher runs.
using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

internal static unsafe class ChildReaper
{
    private static readonly ManualResetEventSlim Spawned = new();
    private static readonly Lock Gate = new();
    private static Action<int, ExitStatus>[] s_subscribers = [];
    private static Thread? s_thread;
    private static volatile bool s_stopping;

    /// <summary>Called after each successful spawn: wakes a reaper that had no children to wait for.</summary>
    public static void NotifyChildSpawned() => Spawned.Set();

    public static void Subscribe(Action<int, ExitStatus> onExit)
    {
        lock (Gate)
        {
            s_subscribers = [.. s_subscribers, onExit];
            if (s_thread is null)
            {
                s_stopping = false;
                s_thread = new Thread(ReapLoop) { IsBackground = true, Name = "taskmaster-reaper" };
                s_thread.Start();
            }
        }
    }

    public static void Unsubscribe(Action<int, ExitStatus> onExit)
    {
        lock (Gate)
        {
            var remaining = s_subscribers.Where(s => !ReferenceEquals(s, onExit)).ToArray();
            if (remaining.Length == s_subscribers.Length)
                return;
            s_subscribers = remaining;
            if (remaining.Length > 0 || s_thread is null)
                return;

            // Last subscriber gone: stop the thread, wherever it is blocked. Joining under the lock is safe
            // because the reaper never takes it.
            s_stopping = true;
            Spawned.Set();
            if (Thread.CurrentThread == s_thread)
            {
                // Disposed from inside a callback: the reaper cannot join itself; it stops after this delivery.
                s_thread = null;
                return;
            }
            var woken = SpawnWaker();
            if (s_thread.Join(woken ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(5)))
                s_thread = null;
            else
                s_stopping = false; // could not wake it: let it keep reaping (for nobody) rather than leave two reapers
        }
    }

    private static void ReapLoop()
    {
        while (true)
        {
            Spawned.Reset();
            if (s_stopping)
                return;
            int status;
            var pid = LibC.WaitPid(-1, &status, 0);
            if (pid > 0)
            {
                foreach (var subscriber in Volatile.Read(ref s_subscribers))
                {
                    try { subscriber(pid, ExitStatus.FromWaitStatus(status)); }
                    catch { /* a subscriber must only post; one that throws must not stop exits reaching the others */ }
                }
                continue;
            }
            var errno = Marshal.GetLastPInvokeError();
            if (errno == LibC.EINTR)
                continue;
            // ECHILD (no children) — or anything unexpected, where retrying at once would spin: sleep until the
            // next spawn or the stop request.
            Spawned.Wait();
        }
    }

    /// <summary>Starts /bin/true, whose exit wakes a reaper blocked in waitpid.</summary>
    private static bool SpawnWaker()
    {
        foreach (var candidate in (ReadOnlySpan<string>)["/bin/true", "/usr/bin/true"])
        {
            if (LibC.Access(candidate, LibC.X_OK) != 0)
                continue;
            using var invocation = new SpawnInvocation(candidate, [candidate], [], null, 0b000_010_010 /* 022 */, -1, -1);
            if (invocation.Run(out _) == 0)
                return true;
        }
        return false;
    }
}
