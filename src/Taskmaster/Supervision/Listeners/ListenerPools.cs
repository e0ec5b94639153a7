// Every [eventlistener:x] pool of the daemon, on the supervision loop. Events come from the bus (which gives each
// its global serial before handing it here); a pool queues them; after every loop turn, each pool with queued
// events sends its oldest to the first of its instances that is RUNNING and READY, as supervisor does. Writing to
// a listener never waits: its stdin is non-blocking, and an envelope larger than the pipe can take is finished by
// a short-lived wait for writability off the loop. A listener that is slow, stuck, dead or talking nonsense only
// holds its own pool's events, which its buffer_size bounds.
using Microsoft.Extensions.Logging;
using Taskmaster.Events;
using Taskmaster.Posix;

namespace Taskmaster.Supervision.Listeners;

/// <summary>The listener pools and their dispatch (loop thread only).</summary>
internal sealed class ListenerPools(ProcessDirectory directory, EventBus bus, ILogger logger, string server, Action<Action> post)
{
    private readonly Dictionary<string, ListenerPool> _pools = new(StringComparer.Ordinal);

    /// <summary>True when some pool has events waiting (the loop then tries to send them).</summary>
    public bool HasWork { get; private set; }

    /// <summary>Makes the pools match the directory's listener groups (a reload added, removed or changed some),
    /// keeping the queue of a pool that stays, and subscribes to the union of their types.</summary>
    public void Refresh(IEnumerable<string> groups)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var members = directory.Members(group);
            if (members.Count == 0 || !members[0].Config.IsListener) continue;
            seen.Add(group);
            if (!_pools.TryGetValue(group, out var pool)) _pools[group] = pool = new ListenerPool(group);
            pool.Types = members[0].Config.Events;
            pool.Capacity = members[0].Config.BufferSize;
        }
        foreach (var gone in _pools.Keys.Where(k => !seen.Contains(k)).ToList()) _pools.Remove(gone);
        var types = EventType.None;
        foreach (var pool in _pools.Values) types |= pool.Types;
        bus.SetPools(types, _pools.Count == 0 ? null : Accept);
    }

    private void Accept(SupervisorEvent e)
    {
        foreach (var pool in _pools.Values)
        {
            if ((pool.Types & e.Type) == 0) continue;
            if (pool.Accept(e) is { } dropped) ListenerLog.Overflowed(logger, pool.Name, dropped);
            HasWork = true;
        }
    }

    /// <summary>Sends what can be sent now: each pool's oldest events to its READY instances. A pool whose
    /// listeners are all busy costs a look at its members, nothing more.</summary>
    public void Dispatch()
    {
        if (!HasWork) return;
        var waiting = false;
        foreach (var pool in _pools.Values)
        {
            while (pool.Count > 0 && FirstReady(pool) is { } p)
            {
                pool.TryTake(out var entry);
                if (!Send(p, pool, entry)) Requeue(pool, entry); // for the next READY listener, if any
            }
            waiting |= pool.Count > 0;
        }
        HasWork = waiting;
    }

    private ManagedProcess? FirstReady(ListenerPool pool)
    {
        foreach (var p in directory.Members(pool.Name))
            if (p.State == ProcessState.Running && p.Listener is { State: ListenerState.Ready } && p.Stdin is not null)
                return p;
        return null;
    }

    private bool Send(ManagedProcess p, ListenerPool pool, (SupervisorEvent Event, long PoolSerial) entry)
    {
        var stdin = p.Stdin!;
        var envelope = ListenerEnvelope.For(entry.Event, entry.PoolSerial, server, pool.Name);
        var (written, errno) = Descriptors.WriteAll(stdin, envelope);
        if (errno is not (0 or Errno.EAGAIN))
        {
            ListenerLog.SendFailed(logger, entry.Event.Serial, p.Name, errno);
            p.Listener!.Broke();
            return false;
        }
        p.Listener!.Sent(entry.Event, entry.PoolSerial);
        if (logger.IsEnabled(LogLevel.Debug)) ListenerLog.Sent(logger, entry.Event.Serial, p.Name);
        if (written < envelope.Length) FinishLater(p, stdin, envelope, written);
        return true;
    }

    /// <summary>The pipe took part of the envelope: the rest goes when it has room, without the loop waiting. The
    /// wait has a thread of its own (a listener may never read again), which ends when the pipe has room or breaks.</summary>
    private void FinishLater(ManagedProcess p, Microsoft.Win32.SafeHandles.SafeFileHandle stdin, byte[] envelope, int offset) =>
        _ = Task.Factory.StartNew(() =>
        {
            Descriptors.WaitWritable(stdin);
            post(() =>
            {
                if (p.Stdin != stdin) return; // that child is gone; its event came back when it died
                var (written, errno) = Descriptors.WriteAll(stdin, envelope.AsSpan(offset));
                if (errno == Errno.EAGAIN) FinishLater(p, stdin, envelope, offset + written);
            });
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);

    /// <summary>A listener's stdout (from the child <paramref name="pid"/>), read as the protocol.</summary>
    public void OnOutput(ManagedProcess p, int pid, byte[] data)
    {
        if (p.LastPid != pid || p.Listener is not { } channel) return;
        channel.Feed(data, (result, why, entry) =>
        {
            switch (result)
            {
                case ListenerResult.Ready:
                    HasWork |= _pools.TryGetValue(p.Group, out var pool) && pool.Count > 0;
                    break;
                case ListenerResult.Rejected:
                    if (entry is { } rejected)
                    {
                        if (logger.IsEnabled(LogLevel.Debug)) ListenerLog.Rejected(logger, rejected.Event.Serial, p.Name);
                        GiveBack(p, rejected);
                    }
                    break;
                case ListenerResult.ProtocolError:
                    ListenerLog.ProtocolError(logger, p.Name, why!);
                    if (entry is { } held) GiveBack(p, held);
                    break;
            }
        });
    }

    /// <summary>A listener changed state: a new child starts the protocol over; a child that is gone gives back
    /// the event it held, which goes to the head of its pool's queue.</summary>
    public void OnStateChanged(ManagedProcess p, ProcessState to)
    {
        if (p.Listener is not { } channel) return;
        if (to is ProcessState.Running or ProcessState.Stopping) return;
        if (channel.TakeBack() is { } held) GiveBack(p, held);
        if (to == ProcessState.Starting) channel.Reset();
    }

    private void GiveBack(ManagedProcess p, (SupervisorEvent Event, long PoolSerial) entry)
    {
        if (_pools.TryGetValue(p.Group, out var pool)) Requeue(pool, entry);
    }

    private void Requeue(ListenerPool pool, (SupervisorEvent Event, long PoolSerial) entry)
    {
        if (pool.Requeue(entry) is { } dropped) ListenerLog.Overflowed(logger, pool.Name, dropped);
        HasWork = true;
    }
}
