using Taskmaster.Events;

namespace Taskmaster.Supervision.Listeners;

/// <summary>
/// The queue of one <c>[eventlistener:x]</c> pool, as supervisor keeps it: events of the pool's types in arrival
/// order, each with its pool serial (given once, kept when the event is sent again), at most <c>buffer_size</c> of
/// them; a new event beyond that drops the oldest. An event that comes back (FAIL, a listener that died or broke
/// the protocol holding it) goes back to the head. Loop thread only.
/// </summary>
internal sealed class ListenerPool(string name)
{
    private readonly LinkedList<(SupervisorEvent Event, long PoolSerial)> _buffer = new();
    private long _serial = -1;

    public string Name { get; } = name;

    /// <summary>The types the pool takes (its instances' <c>events</c>).</summary>
    public EventType Types { get; set; }

    /// <summary>Events the pool keeps before it drops the oldest.</summary>
    public int Capacity { get; set; } = 10;

    public int Count => _buffer.Count;

    /// <summary>Queues a new event at the tail with the next pool serial; returns the serial of an event dropped to
    /// make room, if any.</summary>
    public long? Accept(SupervisorEvent e)
    {
        _serial = _serial == long.MaxValue ? 0 : _serial + 1;
        return Add((e, _serial), head: false);
    }

    /// <summary>Puts a sent event back at the head (it keeps its pool serial).</summary>
    public long? Requeue((SupervisorEvent Event, long PoolSerial) entry) => Add(entry, head: true);

    /// <summary>Takes the oldest event, if any.</summary>
    public bool TryTake(out (SupervisorEvent Event, long PoolSerial) entry)
    {
        if (_buffer.First is not { } first)
        {
            entry = default;
            return false;
        }
        entry = first.Value;
        _buffer.RemoveFirst();
        return true;
    }

    private long? Add((SupervisorEvent Event, long PoolSerial) entry, bool head)
    {
        long? dropped = null;
        if (_buffer.Count >= Capacity && _buffer.First is { } oldest)
        {
            dropped = oldest.Value.Event.Serial;
            _buffer.RemoveFirst();
        }
        if (head) _buffer.AddFirst(entry);
        else _buffer.AddLast(entry);
        return dropped;
    }
}
