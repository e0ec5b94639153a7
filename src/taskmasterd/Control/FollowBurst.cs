// Followers of logs come and go in bursts (a dashboard opening a hundred tails, a script's `tail -f` per program). While
// they follow, each holds its read buffer and its connection's response buffer; once the last one has left, what they
// used is garbage, but the GC collects gen0 only when its allocation budget (tens of MB, sized from the CPU's cache)
// fills up again, and an idle daemon allocates next to nothing: the burst would stay committed. So the end of a burst
// runs the same compacting collection as the end of autostart (MemoryTrim), once, when the last follower leaves.
// A lone `tail -f` is not a burst: it leaves too little to be worth a full collection.
namespace Taskmaster.Daemon.Control;

/// <summary>Counts the followers of logs and hands a burst's memory back once the last of them has left.</summary>
internal sealed class FollowBurst(int burst, Action trim)
{
    /// <summary>Followers at once that make a burst worth a full collection when they are gone.</summary>
    public const int DefaultBurst = 8;

    private readonly Lock _lock = new();
    private int _following;
    private int _peak;

    public FollowBurst() : this(DefaultBurst, MemoryTrim.AfterBurst) { }

    /// <summary>One follower more until the returned handle is disposed.</summary>
    public IDisposable Enter()
    {
        lock (_lock)
        {
            _following++;
            _peak = Math.Max(_peak, _following);
        }
        return new Follower(this);
    }

    private void Leave()
    {
        lock (_lock)
        {
            if (--_following > 0 || _peak < burst) return;
            _peak = 0;
        }
        trim(); // outside the lock: a follower arriving meanwhile does not wait for the collection
    }

    private sealed class Follower(FollowBurst owner) : IDisposable
    {
        private int _left;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _left, 1) == 0) owner.Leave();
        }
    }
}
