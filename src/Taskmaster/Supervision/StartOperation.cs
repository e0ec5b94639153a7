namespace Taskmaster.Supervision;

/// <summary>
/// <c>start</c> with wait: each process's result arrives once it is RUNNING, or once it left STARTING any
/// other way: a spawn that failed or exited too quickly (BACKOFF, FATAL: the reason is kept) gives SpawnError, anything
/// else AbnormalTermination (supervisord's <c>startProcess</c> onwait, which checks its spawnerr first; its first
/// BACKOFF already counts as a failure).
/// </summary>
internal sealed class StartOperation(
    TaskCompletionSource<IReadOnlyList<OperationResult>> reply,
    List<OperationResult?> results,
    List<(int Index, ManagedProcess Process)> waiting) : PendingOperation
{
    public override bool TryAdvance()
    {
        waiting.RemoveAll(w =>
        {
            if (Outcome(w.Process) is not { } result) return false;
            results[w.Index] = result;
            return true;
        });
        if (waiting.Count > 0) return false;
        reply.TrySetResult([.. results.Select(r => r!)]);
        return true;
    }

    public override void Abandon() => reply.TrySetException(new ObjectDisposedException(nameof(Supervisor)));

    /// <summary>The result for a process that was just started, or null while it is still STARTING.</summary>
    public static OperationResult? Outcome(ManagedProcess p) => p.State switch
    {
        _ when p.AwaitingDependencies => null,
        ProcessState.Starting => null,
        ProcessState.Running => new OperationResult(p.FullName),
        _ when p.DependencyFailure is { } why => new OperationResult(p.FullName, ErrorCode.Failed, $"not started: dependency {why}"),
        _ when p.SpawnError is not null => new OperationResult(p.FullName, ErrorCode.SpawnError, p.SpawnError),
        _ => new OperationResult(p.FullName, ErrorCode.AbnormalTermination, p.SpawnError),
    };
}
