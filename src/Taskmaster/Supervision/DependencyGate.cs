namespace Taskmaster.Supervision;

/// <summary>
/// Holds each start of a process until its <c>depends_on</c> is met, without a thread or a timer per waiting
/// process: a held start is a mark on the process (<see cref="ManagedProcess.WaitingFor"/>) and an entry in a set.
/// Each state change of a process marks the waiting processes that depend on it; once the loop has handled the
/// message, those (and only those) are judged again, and a start whose dependencies are now met is dispatched,
/// one whose dependency failed for good is refused with the reason in <c>status</c> and the log. A refusal is a
/// failure for the refused process's own dependents too, so a failure travels down the whole chain.
/// </summary>
/// <remarks>
/// Every start goes through <see cref="Holds"/> (the loop's dispatch of Start, and of a paced respawn's RetryDue),
/// so autostart, <c>start</c>, <c>restart</c>, update/add and automatic restarts all wait the same way. An explicit
/// start (not an automatic restart) also starts the dependencies that are not running nor starting
/// (<see cref="PullIn"/>), so a dependency with autostart=false is not a wait that never ends.
/// </remarks>
internal sealed class DependencyGate(ISupervisionLoop loop)
{
    private readonly HashSet<ManagedProcess> _waiting = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<ManagedProcess> _dirty = new(ReferenceEqualityComparer.Instance);
    private DependencyGraph _graph = new([]);
    private int _graphVersion = -1;

    /// <summary>The graph of the processes the directory holds now (built again after a reload changed them).</summary>
    public DependencyGraph Graph
    {
        get
        {
            if (_graphVersion == loop.Directory.Version) return _graph;
            _graphVersion = loop.Directory.Version;
            _graph = new DependencyGraph(loop.Directory.Unordered);
            // A reload may have removed a waiting process or changed what one waits for: judge every wait again.
            var present = loop.Directory.Unordered.ToHashSet(ReferenceEqualityComparer.Instance);
            _waiting.RemoveWhere(p => !present.Contains(p));
            _dirty.UnionWith(_waiting);
            return _graph;
        }
    }

    /// <summary>
    /// True when <paramref name="p"/>'s start must not happen now: it waits (some dependency is pending) or is
    /// refused (one failed for good). False when it may start, and then any earlier wait or refusal is forgotten.
    /// </summary>
    public bool Holds(ManagedProcess p)
    {
        if (loop.ShuttingDown || Graph.IsEmpty) return Pass(p);
        string? pending = null;
        foreach (var (edge, targets) in Graph.EdgesOf(p))
            foreach (var d in targets)
            {
                var (standing, why) = DependencyVerdict.Judge(edge.Condition, d);
                if (standing == DependencyStanding.Failed)
                {
                    Refuse(p, why!);
                    return true;
                }
                if (standing == DependencyStanding.Pending) pending ??= $"{d.Name} ({edge.ConditionWord})";
            }
        if (pending is null) return Pass(p);
        var changed = p.WaitingFor != pending || p.DependencyFailure is not null;
        if (_waiting.Add(p) || p.WaitingFor != pending) DependencyLog.Waiting(loop.Logger, p.Name, pending);
        p.WaitingFor = pending;
        p.DependencyFailure = null;
        if (changed) loop.StandingChanged(p);
        return true;
    }

    /// <summary>Whether a start of <paramref name="p"/> would be held now (judged without changing anything).</summary>
    public bool WouldHold(ManagedProcess p) =>
        !loop.ShuttingDown && !Graph.IsEmpty && Graph.EdgesOf(p).Any(e =>
            e.Targets.Any(d => DependencyVerdict.Judge(e.Edge.Condition, d).Standing != DependencyStanding.Met));

    /// <summary>
    /// Before an explicit start of <paramref name="p"/>: starts each dependency that is neither up nor on its way
    /// (STOPPED, EXITED, FATAL, and not meeting its condition), unless <paramref name="batch"/> starts it anyway.
    /// Each goes through the gate itself, so its own dependencies come first.
    /// </summary>
    public void PullIn(ManagedProcess p, IReadOnlySet<ManagedProcess> batch)
    {
        if (loop.ShuttingDown || Graph.IsEmpty) return;
        foreach (var (edge, targets) in Graph.EdgesOf(p))
            foreach (var d in targets)
            {
                if (batch.Contains(d) || d.AwaitingDependencies) continue;
                if (d.State is not (ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal)) continue;
                if (DependencyVerdict.Judge(edge.Condition, d).Standing == DependencyStanding.Met) continue;
                DependencyLog.PullingIn(loop.Logger, d.Name, p.Name);
                PullIn(d, batch);
                loop.Dispatch(d, ProcessEventKind.Start);
            }
    }

    /// <summary>A state change of <paramref name="p"/>: the processes waiting for it are judged again after the message.</summary>
    public void Changed(ManagedProcess p)
    {
        if (_waiting.Count == 0) return;
        foreach (var dependent in Graph.DependentsOf(p))
            if (_waiting.Contains(dependent)) _dirty.Add(dependent);
    }

    /// <summary>Judges again the waits that a change concerned: starts what may start, refuses what cannot. True if
    /// anything happened (the loop then settles again: a start changes states that others may wait for).</summary>
    public bool Settle()
    {
        _ = Graph; // a reload since the last message marks every wait
        if (_dirty.Count == 0) return false;
        var judged = _dirty.ToList();
        _dirty.Clear();
        var moved = false;
        foreach (var p in judged)
        {
            if (!_waiting.Contains(p)) continue;
            if (p.State is not (ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal) || loop.ShuttingDown)
            {
                Cancel(p);
                continue;
            }
            if (Holds(p) && p.AwaitingDependencies) continue;
            moved = true;
            if (p.DependencyFailure is null) loop.Dispatch(p, ProcessEventKind.Start);
        }
        return moved;
    }

    /// <summary>Drops a held start (a stop of the waiting process, a shutdown).</summary>
    public void Cancel(ManagedProcess p)
    {
        if (!_waiting.Remove(p)) return;
        p.WaitingFor = null;
        DependencyLog.Cancelled(loop.Logger, p.Name);
        loop.StandingChanged(p);
    }

    public void CancelAll()
    {
        foreach (var p in _waiting.ToList()) Cancel(p);
    }

    private bool Pass(ManagedProcess p)
    {
        _waiting.Remove(p);
        var changed = p.WaitingFor is not null || p.DependencyFailure is not null;
        p.WaitingFor = null;
        p.DependencyFailure = null;
        if (changed) loop.StandingChanged(p);
        return false;
    }

    private void Refuse(ManagedProcess p, string why)
    {
        _waiting.Remove(p);
        var changed = p.DependencyFailure != why || p.WaitingFor is not null;
        if (p.DependencyFailure != why) DependencyLog.Refused(loop.Logger, p.Name, why);
        p.WaitingFor = null;
        p.DependencyFailure = why;
        if (changed) loop.StandingChanged(p);
        // Its own dependents cannot start either: they learn it as they learn a state change.
        foreach (var dependent in Graph.DependentsOf(p))
            if (_waiting.Contains(dependent)) _dirty.Add(dependent);
    }
}
