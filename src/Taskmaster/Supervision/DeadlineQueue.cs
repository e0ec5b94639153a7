namespace Taskmaster.Supervision;

/// <summary>
/// The processes that have a deadline, earliest first, so the loop finds what is due (and when to wake
/// next) without scanning every process after every message, which would make a <c>stop all</c> of N
/// programs cost N reaped exits × 2 scans of N. Loop-thread only.
/// </summary>
/// <remarks>
/// Lazy invalidation: a process is re-queued each time one of its deadlines changes, carrying a stamp that
/// the change bumped; an entry whose stamp is no longer the process's is stale and skipped when it reaches
/// the front. Stale entries are dropped when the queue grows well past the live ones.
/// </remarks>
internal sealed class DeadlineQueue
{
    private const int CompactionSlack = 1024;

    private readonly PriorityQueue<(ManagedProcess Process, long Stamp), DateTimeOffset> _heap = new();
    private int _live;

    /// <summary>Entries in the heap, stale ones included (for tests).</summary>
    internal int Count => _heap.Count;

    /// <summary>Records that <paramref name="p"/>'s deadlines changed; its previous entry, if any, becomes stale.</summary>
    public void Reschedule(ManagedProcess p)
    {
        Forget(p);
        if (p.NextDeadline is not { } next) return;
        _heap.Enqueue((p, p.DeadlineStamp), next.At);
        p.DeadlineQueued = true;
        _live++;
        if (_heap.Count > 2 * _live + CompactionSlack) Compact();
    }

    /// <summary>Drops <paramref name="p"/>'s entry (the process leaves the directory).</summary>
    public void Forget(ManagedProcess p)
    {
        p.DeadlineStamp++;
        if (!p.DeadlineQueued) return;
        p.DeadlineQueued = false;
        _live--;
    }

    /// <summary>The process whose deadline is the earliest, and when, skipping stale entries; null when none is pending.</summary>
    public (ManagedProcess Process, DateTimeOffset At)? Peek()
    {
        while (_heap.TryPeek(out var entry, out var at))
        {
            if (entry.Stamp == entry.Process.DeadlineStamp) return (entry.Process, at);
            _heap.Dequeue();
        }
        return null;
    }

    private void Compact()
    {
        var live = _heap.UnorderedItems.Where(x => x.Element.Stamp == x.Element.Process.DeadlineStamp).ToList();
        _heap.Clear();
        foreach (var (entry, at) in live) _heap.Enqueue(entry, at);
    }
}
