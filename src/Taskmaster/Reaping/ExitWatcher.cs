using Taskmaster.Posix;

namespace Taskmaster.Reaping;

/// <summary>
/// Reports the exits of the children <see cref="Spawning.PosixSpawner"/> started in this process, through a callback, from
/// one dedicated thread blocked in epoll_wait on their pidfds (see <see cref="ChildReaper"/>): no polling, no
/// missed exit, and children started any other way (System.Diagnostics.Process, libraries) are left alone.
/// Created with <c>adoptOrphans</c>, it also makes this process the child subreaper of its programs and reports
/// the orphans it adopts (<see cref="IExitWatcher.AdoptsOrphans"/>); only for a process that starts children in no
/// other way (the daemon).
/// </summary>
/// <remarks>
/// Ordering guarantee: the callback may run for a pid BEFORE <see cref="Spawning.ISpawner.Spawn"/> (or
/// <see cref="Spawning.PendingSpawn.Collect"/>) has returned that pid to its caller (a child can exit within microseconds). Callers that register pids after Spawn returns must
/// therefore not act on the callback directly; post to a queue that is drained after the Spawn call, as the
/// supervision loop does with its channel. Several watchers may run at once: each gets every exit, including
/// pids it never registered (another watcher's children); ignore those. Start the watcher BEFORE spawning:
/// an exit reaped while no watcher runs is told to nobody. After <see cref="Dispose"/> returns the callback
/// never runs again. Call <see cref="Signals.ResetIfIgnored"/> for SIGCHLD at start-up, or an inherited
/// SIGCHLD=SIG_IGN lets the kernel discard every status.
/// </remarks>
public sealed class ExitWatcher(bool adoptOrphans = false) : IExitWatcher
{
    private Action<ChildExit>? _onExit;
    private OrphanSweep? _sweep;
    private int _state; // 0 new, 1 started, 2 disposed

    /// <summary>True once started as child subreaper (false if asked but the kernel refused: orphans then go to init).</summary>
    public bool AdoptsOrphans { get; private set; }

    public void Start(Action<ChildExit> onExit)
    {
        ArgumentNullException.ThrowIfNull(onExit);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("An ExitWatcher can be started once.");
        if (adoptOrphans && ChildReaper.BecomeSubreaper() == 0)
        {
            AdoptsOrphans = true;
            _sweep = new OrphanSweep();
        }
        // A private delegate instance, so Unsubscribe removes exactly this watcher even if the same method is reused.
        _onExit = exit => onExit(exit);
        ChildReaper.Subscribe(_onExit);
    }

    /// <summary>For callers that only care about the spawner's own children: pid and status.</summary>
    public void Start(Action<int, ExitStatus> onExit)
    {
        ArgumentNullException.ThrowIfNull(onExit);
        Start(exit => onExit(exit.Pid, exit.Status));
    }

    public void WatchAdoptedOrphans()
    {
        if (AdoptsOrphans)
            ChildReaper.AdoptChildren();
    }

    /// <summary>Stops reporting, waiting out a callback in progress on the reaper thread. The reaper itself keeps
    /// running, so children still get reaped (and this process stays the subreaper: that is for good).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, 2) == 1 && _onExit is { } subscriber)
        {
            _sweep?.Dispose();
            ChildReaper.Unsubscribe(subscriber);
        }
    }
}
