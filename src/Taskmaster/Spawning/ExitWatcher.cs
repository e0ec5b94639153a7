namespace Taskmaster.Spawning;

/// <summary>
/// Reports the exits of the children <see cref="PosixSpawner"/> started in this process, through a callback, from
/// one dedicated thread blocked in epoll_wait on their pidfds (see <see cref="ChildReaper"/>): no polling, no
/// missed exit, and children started any other way (System.Diagnostics.Process, libraries) are left alone.
/// </summary>
/// <remarks>
/// Ordering guarantee: the callback may run for a pid BEFORE <see cref="ISpawner.Spawn"/> (or
/// <see cref="PendingSpawn.Collect"/>) has returned that pid to its caller (a child can exit within microseconds). Callers that register pids after Spawn returns must
/// therefore not act on the callback directly; post to a queue that is drained after the Spawn call, as the
/// supervision loop does with its channel. Several watchers may run at once: each gets every exit, including
/// pids it never registered (another watcher's children); ignore those. Start the watcher BEFORE spawning:
/// an exit reaped while no watcher runs is told to nobody. After <see cref="Dispose"/> returns the callback
/// never runs again. Call <see cref="ChildSignals.ResetSigchldToDefault"/> at start-up, or an inherited
/// SIGCHLD=SIG_IGN lets the kernel discard every status.
/// </remarks>
public sealed class ExitWatcher : IExitWatcher
{
    private Action<int, ExitStatus>? _onExit;
    private int _state; // 0 new, 1 started, 2 disposed

    public void Start(Action<int, ExitStatus> onExit)
    {
        ArgumentNullException.ThrowIfNull(onExit);
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
            throw new InvalidOperationException("An ExitWatcher can be started once.");
        // A private delegate instance, so Unsubscribe removes exactly this watcher even if the same method is reused.
        _onExit = (pid, status) => onExit(pid, status);
        ChildReaper.Subscribe(_onExit);
    }

    /// <summary>Stops reporting, waiting out a callback in progress on the reaper thread. The reaper itself keeps
    /// running, so children still get reaped.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _state, 2) == 1 && _onExit is { } subscriber)
            ChildReaper.Unsubscribe(subscriber);
    }
}
