using Taskmaster.Events;

namespace Taskmaster.Supervision.Eventing;

/// <summary>
/// TICK_5, TICK_60 and TICK_3600 as supervisord makes them: an event when the clock enters a new slice of the
/// period (<c>when</c> = the slice's start, in whole seconds), never at startup. A period is followed only while
/// someone wants its ticks; <see cref="Next"/> is the loop's one extra deadline, null when nobody does, so no
/// timer runs for ticks nobody asked for.
/// </summary>
internal sealed class TickClock
{
    private static readonly (EventType Type, long Period)[] Periods =
        [(EventType.Tick5, 5), (EventType.Tick60, 60), (EventType.Tick3600, 3600)];

    private readonly long?[] _slice = new long?[Periods.Length];

    /// <summary>When the earliest followed period enters its next slice; null when no period is followed.</summary>
    public DateTimeOffset? Next { get; private set; }

    /// <summary>Follows exactly the periods in <paramref name="wanted"/>, starting from the current slice.</summary>
    public void Follow(EventType wanted, DateTimeOffset now)
    {
        var seconds = now.ToUnixTimeSeconds();
        for (var i = 0; i < Periods.Length; i++)
        {
            if ((wanted & Periods[i].Type) == 0) _slice[i] = null;
            else _slice[i] ??= Slice(seconds, Periods[i].Period);
        }
        Reckon();
    }

    /// <summary>Publishes the ticks whose slice changed by <paramref name="now"/>, in period order.</summary>
    public void Fire(DateTimeOffset now, Action<EventType, long> publish)
    {
        var seconds = now.ToUnixTimeSeconds();
        for (var i = 0; i < Periods.Length; i++)
        {
            if (_slice[i] is not { } last) continue;
            var current = Slice(seconds, Periods[i].Period);
            if (current == last) continue;
            _slice[i] = current;
            publish(Periods[i].Type, current);
        }
        Reckon();
    }

    private void Reckon()
    {
        long? next = null;
        for (var i = 0; i < Periods.Length; i++)
            if (_slice[i] is { } slice && (next is null || slice + Periods[i].Period < next))
                next = slice + Periods[i].Period;
        Next = next is { } at ? DateTimeOffset.FromUnixTimeSeconds(at) : null;
    }

    private static long Slice(long seconds, long period) => seconds - seconds % period;
}
