using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Taskmaster.Events;

/// <summary>
/// Hands supervisor events to those who asked for their type: the listener pools (on the supervision loop) and the
/// JSON event stream's clients (each through a bounded channel that drops its oldest entry, so a slow client loses
/// history but never holds the loop). Publishers ask <see cref="Wants"/> first and build nothing when it says no:
/// an event nobody subscribed to costs one AND.
/// </summary>
public sealed class EventBus
{
    private readonly int _streamCapacity;
    private readonly Lock _gate = new();
    private ImmutableArray<Stream> _streams = [];
    private EventType _poolMask;
    private Action<SupervisorEvent>? _pools;
    private volatile uint _wanted;
    private long _serial = -1;

    public EventBus(int streamCapacity = 1024) => _streamCapacity = streamCapacity;

    /// <summary>Called (on the subscribing thread) when the set of wanted types changed, so ticks can start or stop.</summary>
    public Action? WantedChanged { get; set; }

    /// <summary>The union of every subscriber's types.</summary>
    public EventType Wanted => (EventType)_wanted;

    /// <summary>True when someone takes events of <paramref name="type"/>.</summary>
    public bool Wants(EventType type) => (_wanted & (uint)type) != 0;

    /// <summary>The listener pools' subscription (loop thread): <paramref name="accept"/> gets every event of
    /// <paramref name="mask"/>, before any stream client, with its serial given.</summary>
    public void SetPools(EventType mask, Action<SupervisorEvent>? accept)
    {
        lock (_gate) _poolMask = accept is null ? EventType.None : mask;
        _pools = accept;
        Recompute();
    }

    /// <summary>Publishes on the loop thread. Callers check <see cref="Wants"/> before building the event.</summary>
    public void Publish(SupervisorEvent e)
    {
        if ((_poolMask & e.Type) != 0 && _pools is { } pools)
        {
            e.Serial = _serial == long.MaxValue ? (_serial = 0) : ++_serial;
            pools(e);
        }
        foreach (var stream in _streams)
            if ((stream.Mask & e.Type) != 0) stream.Channel.Writer.TryWrite(e);
    }

    /// <summary>Subscribes at once (before the first MoveNextAsync), so nothing published after this call is missed.</summary>
    public IAsyncEnumerable<SupervisorEvent> Subscribe(EventType mask, CancellationToken ct)
    {
        var stream = new Stream(mask, Channel.CreateBounded<SupervisorEvent>(new BoundedChannelOptions(_streamCapacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        }));
        ImmutableInterlocked.Update(ref _streams, static (list, s) => list.Add(s), stream);
        Recompute();
        return Read(stream, ct);
    }

    public void CompleteAll()
    {
        foreach (var stream in ImmutableInterlocked.InterlockedExchange(ref _streams, []))
            stream.Channel.Writer.TryComplete();
        Recompute();
    }

    private async IAsyncEnumerable<SupervisorEvent> Read(Stream stream, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            await foreach (var e in stream.Channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                yield return e;
        }
        finally
        {
            ImmutableInterlocked.Update(ref _streams, static (list, s) => list.Remove(s), stream);
            Recompute();
        }
    }

    // Pools change on the loop, stream clients come and go on any thread: the union is recomputed under one lock so
    // that no change is lost between two of them.
    private void Recompute()
    {
        bool changed;
        lock (_gate)
        {
            var mask = _poolMask;
            foreach (var stream in _streams) mask |= stream.Mask;
            changed = _wanted != (uint)mask;
            _wanted = (uint)mask;
        }
        if (changed) WantedChanged?.Invoke();
    }

    private sealed record Stream(EventType Mask, Channel<SupervisorEvent> Channel);
}
