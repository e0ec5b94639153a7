// Applying a configuration diff on the supervision loop, touching only what changed.
//
// The constraint: the loop must never lose track of a child nor run two children for one instance, and it
// must keep serving other messages while children take their time to stop. So an update is a pending
// operation in three steps:
//   1. Begin (one loop message): groups of the new config are created or re-prioritised; in-place changes are
//      swapped at once (a live child keeps its pid, the next exit/stop/deadline reads the new settings);
//      instances to remove or restart that have a child (or a pending retry) are stopped, in reverse priority
//      batches, exactly as `stop` does. They stay in the directory, visible and reapable, meanwhile.
//   2. Waiting: after every loop message, TryAdvance checks whether all of them are reaped. An operator may
//      start one of them in the meantime; it is stopped again rather than forgotten.
//   3. Finish (the same loop turn as the last reap): removed instances are forgotten, restarted ones replaced
//      by fresh instances with the new settings, added ones created, emptied groups dropped, and the fresh
//      instances started per autostart in priority order. Then the caller gets supervisorctl's result lines.
// A child that cannot be stopped (UNKNOWN: we lost the right to signal it) is never dropped: its instance stays
// as it was and its group reports the problem.
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>One <c>update</c> (or <c>reload</c>) in flight on the supervision loop.</summary>
internal sealed class ApplyOperation : PendingOperation
{
    private readonly ISupervisionLoop _loop;
    private readonly TaskCompletionSource<IReadOnlyList<GroupUpdateResult>> _reply;
    private readonly ConfigDiff _diff;
    private readonly HashSet<string> _scope;
    private readonly List<GroupUpdateResult> _unknownNames = [];
    /// <summary>Instances to remove (New is null) or to restart with New, with their live process.</summary>
    private readonly List<(ManagedProcess Process, InstanceChange Change)> _leaving = [];
    private readonly HashSet<string> _stoppedGroups = new(StringComparer.Ordinal);
    private PendingOperation? _stop;

    private ApplyOperation(ISupervisionLoop loop, TaskCompletionSource<IReadOnlyList<GroupUpdateResult>> reply, ConfigDiff diff,
        IReadOnlyCollection<string> groups)
    {
        _loop = loop;
        _reply = reply;
        _diff = diff;
        var all = diff.Groups.Added.Concat(diff.Groups.Changed).Concat(diff.Groups.Removed).ToHashSet(StringComparer.Ordinal);
        // supervisorctl: "all" or nothing means every group.
        if (groups.Count == 0 || groups.Contains("all"))
        {
            _scope = all;
            return;
        }
        _scope = new HashSet<string>(StringComparer.Ordinal);
        var known = loop.Directory.ActiveGroups().Select(g => g.Name).Concat(diff.Groups.Added).ToHashSet(StringComparer.Ordinal);
        foreach (var g in groups.Distinct(StringComparer.Ordinal))
        {
            if (!known.Contains(g)) _unknownNames.Add(new GroupUpdateResult(g, GroupChange.Updated, ErrorCode.BadName));
            else if (all.Contains(g)) _scope.Add(g);
        }
    }

    /// <summary>Starts applying <paramref name="diff"/> for <paramref name="groups"/> (empty or "all": every group).
    /// Must run on the loop; the returned operation is registered by the caller unless it already completed.</summary>
    public static ApplyOperation Begin(ISupervisionLoop loop, TaskCompletionSource<IReadOnlyList<GroupUpdateResult>> reply,
        ConfigDiff diff, IReadOnlyCollection<string> groups)
    {
        var op = new ApplyOperation(loop, reply, diff, groups);
        op.Start();
        return op;
    }

    public override void Abandon() => _reply.TrySetException(new ObjectDisposedException(nameof(Supervisor)));

    private bool InScope(InstanceChange c) => c.Old is { } o && _scope.Contains(o.GroupName) || c.New is { } n && _scope.Contains(n.GroupName);

    private void Start()
    {
        var log = _loop.Logger;
        var directory = _loop.Directory;
        var byConfig = directory.Unordered.ToDictionary<ManagedProcess, ProcessConfig, ManagedProcess>(p => p.Config, p => p, ReferenceEqualityComparer.Instance);

        foreach (var group in _scope)
        {
            if (!_diff.NewGroupPriorities.TryGetValue(group, out var priority)) continue;
            var existed = directory.HasGroup(group);
            var before = directory.ActivePriority(group);
            directory.EnsureGroup(group, priority);
            if (existed && before != priority) ReloadLog.GroupPriorityChanged(log, group);
        }

        var toStop = new List<ManagedProcess>();
        foreach (var change in _diff.Changes.Where(InScope))
        {
            if (change.Old is null) continue; // added at the end, once everything leaving has gone
            if (!byConfig.TryGetValue(change.Old, out var p))
                continue; // the diff was computed on this loop turn from the directory itself: cannot happen
            switch (change.Kind)
            {
                case InstanceChangeKind.InPlace:
                    ApplyInPlace(p, change);
                    break;
                case InstanceChangeKind.Restart or InstanceChangeKind.Removed:
                    _leaving.Add((p, change));
                    if (!NeedsStop(p))
                    {
                        if (change.Kind == InstanceChangeKind.Restart)
                            ReloadLog.ReplacedWhileDown(log, p.Name, string.Join(", ", change.Fields));
                        break;
                    }
                    toStop.Add(p);
                    _stoppedGroups.Add(p.Group);
                    if (change.Kind == InstanceChangeKind.Removed) ReloadLog.StoppingForRemoval(log, p.Name);
                    else ReloadLog.StoppingForChange(log, p.Name, string.Join(", ", change.Fields));
                    break;
            }
        }
        if (toStop.Count > 0) _stop = _loop.BeginReapingStop(toStop);
    }

    private static bool NeedsStop(ManagedProcess p) => p.HasChild || p.State == ProcessState.Backoff;

    /// <summary>New policy under a live child: nothing is signalled; deadlines already armed are re-based when the
    /// setting that armed them changed, so a shorter startsecs counts from the spawn, not from now.</summary>
    private void ApplyInPlace(ManagedProcess p, InstanceChange change)
    {
        var next = change.New!;
        var oldGroup = p.Group;
        _loop.Directory.Reconfigure(p, next);
        if (p.State == ProcessState.Starting && p.StartDeadline is not null && p.StartedAt is { } spawnedAt)
            p.StartDeadline = spawnedAt.AddSeconds(Math.Max(0, next.StartSecs));
        // A stop in flight: the SIGKILL moves by the change of stopwaitsecs, so it still counts from the stop signal
        // (without this, shortening a 120 s stopwaitsecs during the stop it was meant to cut still waited 120 s).
        if (p.State == ProcessState.Stopping && p.StopDeadline is { } killAt && change.Old!.StopWaitSecs != next.StopWaitSecs)
            p.StopDeadline = killAt.AddSeconds(next.StopWaitSecs - change.Old.StopWaitSecs);
        if (p.HasChild) _loop.ChildLogs.Retarget(next);
        if (oldGroup != next.GroupName) ReloadLog.Moved(_loop.Logger, p.Name, oldGroup, next.GroupName);
        var others = change.Fields.Where(f => f != "group").ToList();
        if (others.Count > 0) ReloadLog.ChangedInPlace(_loop.Logger, p.Name, string.Join(", ", others));
    }

    public override bool TryAdvance()
    {
        while (true)
        {
            if (_stop is not null && !_stop.TryAdvance()) return false;

            // Someone started a leaving instance while others were still stopping: stop it again, never drop a child.
            var restarted = _leaving.Where(x => x.Process.HasChild && x.Process.State != ProcessState.Unknown).ToList();
            if (restarted.Count == 0) break;
            foreach (var (p, _) in restarted) ReloadLog.RestartedDuringUpdate(_loop.Logger, p.Name);
            _stop = _loop.BeginReapingStop([.. restarted.Select(x => x.Process)]);
        }

        Finish();
        return true;
    }

    private void Finish()
    {
        var log = _loop.Logger;
        var directory = _loop.Directory;
        var fresh = new List<ManagedProcess>();
        var troubled = new HashSet<string>(StringComparer.Ordinal);

        foreach (var (p, change) in _leaving)
        {
            if (p.HasChild)
            {
                // UNKNOWN: a child we cannot signal is still ours to watch.
                ReloadLog.CouldNotStop(log, p.Name);
                troubled.Add(p.Group);
                continue;
            }
            if (p.State == ProcessState.Backoff) _loop.Dispatch(p, ProcessEventKind.Stop); // a retry is pending: cancel it
            directory.RemoveProcess(p);
            if (change.Kind == InstanceChangeKind.Removed) ReloadLog.InstanceRemoved(log, p.Name);
            else fresh.Add(directory.AddProcess(change.New!));
        }

        foreach (var change in _diff.Changes.Where(c => c.Kind == InstanceChangeKind.Added && InScope(c)))
        {
            fresh.Add(directory.AddProcess(change.New!));
            ReloadLog.InstanceAdded(log, change.New!.Name);
        }

        var removedGroups = new List<string>();
        foreach (var group in _diff.Groups.Removed.Where(_scope.Contains))
        {
            if (_diff.NewGroupPriorities.ContainsKey(group)) continue; // reload: it comes back
            if (directory.RemoveGroupIfEmpty(group))
            {
                ReloadLog.GroupRemoved(log, group);
                removedGroups.Add(group);
            }
            else troubled.Add(group);
        }
        var addedGroups = _diff.Groups.Added.Where(_scope.Contains).ToList();
        foreach (var group in addedGroups) ReloadLog.GroupAdded(log, group);
        _loop.GroupsChanged(addedGroups, removedGroups);

        _loop.StartInOrder(directory.InStartOrder(fresh.Where(p => p.Config.Autostart)).ToList());

        _reply.TrySetResult(Results(troubled));
    }

    /// <summary>supervisorctl's update lines: removed groups, then changed, then added; "stopped" only where a
    /// child was actually stopped (a group whose changes were all in place is just "updated").</summary>
    private List<GroupUpdateResult> Results(HashSet<string> troubled)
    {
        var results = new List<GroupUpdateResult>(_unknownNames);
        var added = _diff.Groups.Added.ToHashSet(StringComparer.Ordinal);
        foreach (var group in _diff.Groups.Removed.Where(_scope.Contains))
        {
            if (_stoppedGroups.Contains(group)) results.Add(new GroupUpdateResult(group, GroupChange.Stopped));
            results.Add(troubled.Contains(group) && !added.Contains(group)
                ? new GroupUpdateResult(group, GroupChange.Removed, ErrorCode.Failed)
                : new GroupUpdateResult(group, GroupChange.Removed));
        }
        foreach (var group in _diff.Groups.Changed.Where(_scope.Contains))
        {
            if (_stoppedGroups.Contains(group)) results.Add(new GroupUpdateResult(group, GroupChange.Stopped));
            results.Add(troubled.Contains(group)
                ? new GroupUpdateResult(group, GroupChange.Updated, ErrorCode.Failed)
                : new GroupUpdateResult(group, GroupChange.Updated));
        }
        foreach (var group in _diff.Groups.Added.Where(_scope.Contains))
            results.Add(new GroupUpdateResult(group, GroupChange.Added));
        return results;
    }
}
