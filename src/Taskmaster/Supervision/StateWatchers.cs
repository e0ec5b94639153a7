using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace Taskmaster.Supervision;

/// <summary>
/// Fans process changes (transitions, health) out to watchers. Each watcher has its own bounded channel that drops its
/// oldest entries when full, so a slow watcher loses history but never blocks the loop.
/// </summary>
internal sealed class StateWatchers(int capacity = 1024)
{
    private ImmutableArray<Channel<ProcessChange>> _subscribers = [];

    /// <summary>Whether anyone listens: a change nobody hears is not built.</summary>
    public bool Any => !_subscribers.IsEmpty;

    /// <summary>Called on the loop thread only.</summary>
    public void Publish(ProcessChange change)
    {
        foreach (var channel in _subscribers) channel.Writer.TryWrite(change);
    }

    /// <summary>Subscribes at once (before the first MoveNextAsync), so nothing after this call is missed.</summary>
    public IAsyncEnumerable<ProcessChange> Subscribe(CancellationToken ct)
    {
        var channel = Channel.CreateBounded<ProcessChange>(new BoundedChannelOptions(capacity)
        {
            FullMode = BoundedChannelFullMode.DropOldest,
            SingleReader = true,
            SingleWriter = true,
        });
        ImmutableInterlocked.Update(ref _subscribers, static (list, c) => list.Add(c), channel);
        return Read(channel, ct);
    }

    public void CompleteAll()
    {
        foreach (var channel in ImmutableInterlocked.InterlockedExchange(ref _subscribers, []))
            channel.Writer.TryComplete();
    }

    private async IAsyncEnumerable<ProcessChange> Read(Channel<ProcessChange> channel, [EnumeratorCancellation] CancellationToken ct)
    {
        try
        {
            await foreach (var change in channel.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                yield return change;
        }
        finally
        {
            ImmutableInterlocked.Update(ref _subscribers, static (list, c) => list.Remove(c), channel);
        }
    }
}
