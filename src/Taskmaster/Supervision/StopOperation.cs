namespace Taskmaster.Supervision;

/// <summary>
/// <c>stop</c> and shutdown: processes are stopped in batches of equal priority, highest first; a
/// batch is signalled all at once and the next one begins only when every process of the batch is
/// down. Without wait, "down" is not awaited (every batch is signalled at once, still in order).
/// </summary>
internal sealed class StopOperation(
    ISupervisionLoop loop,
    TaskCompletionSource<IReadOnlyList<OperationResult>> reply,
    List<OperationResult?> results,
    Queue<List<(int Index, ManagedProcess Process)>> batches,
    StopOperation.Until until) : PendingOperation
{
    /// <summary>When a process of a batch counts as down.</summary>
    public enum Until
    {
        /// <summary>Do not wait (stop without wait).</summary>
        Signalled,
        /// <summary>In a stopped state (supervisord's STOPPED_STATES, UNKNOWN included: it cannot move on its own).</summary>
        Stopped,
        /// <summary>Its child has been reaped (shutdown); a child we lost control of (UNKNOWN) is given up on.</summary>
        Reaped,
    }

    private List<(int Index, ManagedProcess Process)> _current = [];

    public override bool TryAdvance()
    {
        while (true)
        {
            // Down is remembered as soon as it is seen: another client may start a stopped process again
            // while the rest of its batch is still stopping, and this stop must not wait for it a second time.
            _current.RemoveAll(x => IsDown(x.Process));
            if (_current.Count > 0) return false;
            if (batches.Count == 0)
            {
                reply.TrySetResult([.. results.Select(r => r!)]);
                return true;
            }
            Begin(batches.Dequeue());
        }
    }

    public override void Abandon() => reply.TrySetException(new ObjectDisposedException(nameof(Supervisor)));

    private void Begin(List<(int Index, ManagedProcess Process)> batch)
    {
        _current = [];
        foreach (var (index, p) in batch)
        {
            var t = loop.Dispatch(p, ProcessEventKind.Stop);
            if (t.Kind == TransitionKind.Reject)
            {
                results[index] = new OperationResult(p.FullName, t.Error);
                // Not running, but what its last child left is still being stopped: a shutdown or a reload waits for it.
                if (until == Until.Reaped && (p.HasChild || p.Hook is not null)) _current.Add((index, p));
                continue;
            }
            results[index] = p.State == ProcessState.Unknown
                ? new OperationResult(p.FullName, ErrorCode.Failed, $"could not signal {p.Name}")
                : new OperationResult(p.FullName);
            _current.Add((index, p));
        }
        if (until == Until.Signalled) return;
        foreach (var (_, p) in _current)
            if (p.State == ProcessState.Stopping) SupervisorLog.WaitingForStop(loop.Logger, p.Name);
    }

    private bool IsDown(ManagedProcess p) => until switch
    {
        Until.Signalled => true,
        Until.Stopped => p.State is ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal or ProcessState.Unknown,
        // A shutdown also waits for hooks (a post-stop hook of the child it stopped): each is bounded by hook_timeout.
        _ => (!p.HasChild || p.State == ProcessState.Unknown) && p.Hook is null,
    };
}
