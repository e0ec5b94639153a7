using System.Diagnostics;
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Reaping;

/// <summary>
/// Zombie hygiene for a child subreaper. An orphan is re-parented to us without a word; only its exit says
/// anything, through SIGCHLD (which also comes for every child the spawner started). The engine adopts the orphans
/// of a program it is stopping at once (<see cref="IExitWatcher.WatchAdoptedOrphans"/>, so a stop ends when the
/// last of them does); this sweep covers the others, such as a daemon a program double-forked into a session of its
/// own: on SIGCHLD it lets <see cref="ChildReaper.AdoptChildren"/> watch what is new, at most once per
/// <see cref="MinInterval"/>. A burst of exits (stop all of 1000) costs one or two reads of the children lists, and
/// such an orphan is a zombie for at most that interval once it exits. Between SIGCHLDs it costs nothing.
/// </summary>
internal sealed class OrphanSweep : IDisposable
{
    /// <summary>The least time between two sweeps.</summary>
    public static readonly TimeSpan MinInterval = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private readonly Timer _timer;
    private readonly PosixSignalRegistration _sigchld;
    private long _lastSweep = Stopwatch.GetTimestamp() - Stopwatch.Frequency * 3600;
    private bool _scheduled;

    public OrphanSweep()
    {
        _timer = new Timer(static s => ((OrphanSweep)s!).Sweep(), this, Timeout.Infinite, Timeout.Infinite);
        // The runtime hands SIGCHLD to a thread-pool thread; not cancelling it keeps its own handling unchanged.
        _sigchld = PosixSignalRegistration.Create((PosixSignal)Signals.SIGCHLD, _ => OnChildExited());
    }

    private void OnChildExited()
    {
        lock (_gate)
        {
            if (_scheduled)
                return; // a sweep is due already: it will see this child too
            var wait = MinInterval - Stopwatch.GetElapsedTime(_lastSweep);
            _scheduled = true;
            _timer.Change(wait > TimeSpan.Zero ? wait : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void Sweep()
    {
        lock (_gate)
        {
            _scheduled = false; // a SIGCHLD from here on schedules the next sweep
            _lastSweep = Stopwatch.GetTimestamp();
        }
        ChildReaper.AdoptChildren();
    }

    public void Dispose()
    {
        _sigchld.Dispose();
        _timer.Dispose();
    }
}
