// Run-time half of crash safety: keeps PIDFILE.children equal to the set of live children, so that a
// successor of a crashed daemon can find them (see LeftoverCleaner).
//
// The supervision loop must never wait on a disk, so the registry lives beside it: it watches the state
// changes the loop publishes (a change is only a hint: the watcher channel may drop entries when it is
// full), waits a few milliseconds so that a burst of changes costs one write, then asks the loop for a
// snapshot (authoritative) and rewrites the file off the loop thread. A daemon killed within that short
// window after a spawn (or while a spawn batch keeps the loop busy) may leave children unrecorded; they carry the
// daemon's identity in their environment, which the file names from the start (ChildMarker), so they are found too.
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Recovery;

/// <summary>Records the daemon's live children (pid, process group, start time) in a file, coalescing writes.</summary>
public sealed class ChildRegistry : IAsyncDisposable
{
    private readonly ISupervisor _supervisor;
    private readonly ChildRecordFile _file;
    private readonly ILogger _logger;
    private readonly TimeSpan _coalesce;
    private readonly Channel<bool> _dirty = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, // one pending "rewrite" is as good as many
        SingleReader = true,
    });
    private readonly CancellationTokenSource _stop = new();
    private readonly Dictionary<int, ChildRecord> _known = [];
    private Task _watching = Task.CompletedTask;
    private Task _writing = Task.CompletedTask;
    private bool _failing;
    private bool _disposed;

    /// <summary>While the disk refuses writes, retry at this pace rather than at every change.</summary>
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromSeconds(1);

    private readonly string? _daemonMarker;

    /// <param name="daemonMarker">This daemon's identity, the TASKMASTER_DAEMON its children carry (<see cref="ChildMarker"/>).</param>
    public ChildRegistry(ISupervisor supervisor, ChildRecordFile file, ILogger logger, TimeSpan? coalesce = null, string? daemonMarker = null)
    {
        _daemonMarker = daemonMarker;
        _supervisor = supervisor;
        _file = file;
        _logger = logger;
        _coalesce = coalesce ?? TimeSpan.FromMilliseconds(20);
    }

    /// <summary>How many times the file was rewritten (for tests and figures).</summary>
    public int Writes { get; private set; }

    /// <summary>Subscribes to state changes (before returning, so no spawn after this call is missed) and starts writing.</summary>
    public void Start()
    {
        // Before anything is spawned, the file names this daemon, so a crash at any later instant leaves a successor
        // able to find every child by its environment, recorded or not.
        if (_daemonMarker is not null) Write([]);
        var changes = _supervisor.WatchAsync(_stop.Token);
        _watching = Task.Run(() => WatchAsync(changes));
        _writing = Task.Run(WriteLoopAsync);
        _dirty.Writer.TryWrite(true); // the file from a previous run is stale until the first write
    }

    private async Task WatchAsync(IAsyncEnumerable<ProcessChange> changes)
    {
        try
        {
            // Only a transition can change which children exist.
            await foreach (var change in changes.ConfigureAwait(false))
                if (change is ProcessStateChange) _dirty.Writer.TryWrite(true);
        }
        catch (OperationCanceledException) { }
    }

    private async Task WriteLoopAsync()
    {
        try
        {
            while (await _dirty.Reader.WaitToReadAsync(_stop.Token).ConfigureAwait(false))
            {
                await Task.Delay(_failing ? RetryAfterFailure : _coalesce, _stop.Token).ConfigureAwait(false);
                _dirty.Reader.TryRead(out _); // changes up to now are covered by the snapshot taken below
                var processes = await _supervisor.GetProcessesAsync(_stop.Token).ConfigureAwait(false);
                Write(processes);
            }
        }
        catch (OperationCanceledException) { }
        catch (ChannelClosedException) { } // the supervisor was disposed under us: nothing left to record
        catch (ObjectDisposedException) { }
    }

    private void Write(IReadOnlyList<ProcessSnapshot> processes)
    {
        var records = new List<ChildRecord>();
        var live = new HashSet<int>();
        foreach (var p in processes)
        {
            // A reaped leader whose group is still being stopped stays recorded under its pid (= the group): a crash now
            // must not leave what it started running unseen by the next daemon (LeftoverCleaner stops it by group).
            if ((p.Pid ?? p.LingeringGroup) is not { } pid) continue;
            live.Add(pid);
            if (!_known.TryGetValue(pid, out var record))
            {
                // Read once per child: the start time never changes, and the child leads its own group.
                if (ProcStat.Read(pid) is not { IsZombie: false } stat) continue;
                _known[pid] = record = new ChildRecord(p.FullName, pid, stat.ProcessGroup, stat.StartTicks);
            }
            records.Add(record);
        }
        foreach (var pid in _known.Keys.Where(k => !live.Contains(k)).ToList())
            _known.Remove(pid);

        try
        {
            _file.Write(records, _daemonMarker);
            Writes++;
            if (_failing)
            {
                _failing = false;
                RecoveryLog.WriteResumed(_logger, _file.Path);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Once per episode: a full disk must not flood the activity log (which may be on the same disk).
            if (!_failing) RecoveryLog.WriteFailed(_logger, _file.Path, e.Message);
            _failing = true;
            _dirty.Writer.TryWrite(true); // try again on the next change, or after the next coalescing delay
        }
    }

    /// <summary>Stops recording. The file is removed: after a clean shutdown no child is left to recover.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed) return; // the daemon disposes it early, on a clean shutdown, and again at scope end
        _disposed = true;
        await _stop.CancelAsync().ConfigureAwait(false);
        _dirty.Writer.TryComplete();
        await Task.WhenAll(_watching, _writing).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Removes the file once every child is known to be reaped (a clean shutdown).</summary>
    public void DeleteFile() => _file.Delete();
}
