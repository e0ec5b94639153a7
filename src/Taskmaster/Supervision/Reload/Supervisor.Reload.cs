// The reload half of the engine: the messages that change which processes exist and with what settings.
// Each is one command on the supervision loop, like every other operation; the diff is computed on the loop
// against the directory itself, so nothing that happened between a reread and an update can be missed.
using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Supervision;

public sealed partial class Supervisor
{
    /// <summary>The configuration the engine was created with. Its daemon-level settings (environment for
    /// children included) stay in force for the engine's lifetime; only groups and programs change.</summary>
    public SupervisorConfig InitialConfig => _config;

    private readonly Queue<(TaskCompletionSource<IReadOnlyList<GroupUpdateResult>> Reply, Action Begin)> _queuedApplies = new();

    /// <summary>The activity log, for the reload controller's own lines.</summary>
    internal ILogger Logger => _logger;

    /// <summary>The groups as they run now (priority order), each with the settings its processes run with.</summary>
    public Task<ImmutableArray<GroupConfig>> GetActiveGroupsAsync(CancellationToken ct = default) =>
        Ask<ImmutableArray<GroupConfig>>("active-groups", reply => reply.TrySetResult(_directory.ActiveGroups()), ct);

    /// <summary>
    /// supervisorctl's <c>update</c> for an already loaded <paramref name="next"/>: applies its difference with
    /// what runs, for <paramref name="groups"/> (empty or <c>all</c>: every group), touching only instances whose
    /// own settings changed. Completes once every stopped child is reaped and the fresh instances are started
    /// (not waited for), with supervisorctl's result lines.
    /// </summary>
    public Task<IReadOnlyList<GroupUpdateResult>> ApplyAsync(SupervisorConfig next, IReadOnlyCollection<string> groups,
        CancellationToken ct = default) =>
        Ask<IReadOnlyList<GroupUpdateResult>>("update", reply =>
            BeginApply(reply, () => ConfigDiff.Compute(_directory.ActiveGroups(), next.Groups), groups), ct);

    /// <summary>supervisorctl's <c>reload</c> without the file reading: stops every process (reverse priority),
    /// forgets them all, and starts <paramref name="next"/>'s programs fresh per autostart.</summary>
    public Task<IReadOnlyList<GroupUpdateResult>> ReplaceAllAsync(SupervisorConfig next, CancellationToken ct = default) =>
        Ask<IReadOnlyList<GroupUpdateResult>>("reload", reply =>
            BeginApply(reply, () => ConfigDiff.Replacing(_directory.ActiveGroups(), next.Groups), []), ct);

    /// <summary>supervisorctl's <c>add</c>: activates <paramref name="group"/> and autostarts its programs.</summary>
    public Task<GroupUpdateResult> AddGroupAsync(GroupConfig group, CancellationToken ct = default) =>
        Ask<GroupUpdateResult>("add", reply => reply.TrySetResult(AddGroup(group)), ct);

    /// <summary>supervisorctl's <c>remove</c>: forgets a group whose processes are all stopped.</summary>
    public Task<GroupUpdateResult> RemoveGroupAsync(string group, CancellationToken ct = default) =>
        Ask<GroupUpdateResult>("remove", reply => reply.TrySetResult(RemoveGroup(group)), ct);

    /// <summary>
    /// Starts an update, or queues it behind the one in flight: two updates working on the same processes at once
    /// could stop one twice or add one twice. The diff is computed when it begins, against what runs then.
    /// </summary>
    private void BeginApply(TaskCompletionSource<IReadOnlyList<GroupUpdateResult>> reply, Func<ConfigDiff> diff,
        IReadOnlyCollection<string> groups)
    {
        if (_operations.Exists(o => o is ApplyOperation))
        {
            _queuedApplies.Enqueue((reply, () => BeginApply(reply, diff, groups)));
            return;
        }
        if (_shuttingDown)
        {
            reply.TrySetResult([new GroupUpdateResult("", GroupChange.Updated, ErrorCode.ShutdownState)]);
            return;
        }
        var op = ApplyOperation.Begin(this, reply, diff(), groups);
        if (!op.TryAdvance()) _operations.Add(op);
    }

    /// <summary>Begins the next queued update once none is in flight; true when one was begun.</summary>
    private bool BeginQueuedApply()
    {
        if (_queuedApplies.Count == 0 || _operations.Exists(o => o is ApplyOperation)) return false;
        _queuedApplies.Dequeue().Begin();
        return true;
    }

    /// <summary>The loop is going away: fail the callers of queued updates instead of leaving them waiting.</summary>
    private void AbandonQueuedApplies()
    {
        while (_queuedApplies.TryDequeue(out var queued))
            queued.Reply.TrySetException(new ObjectDisposedException(nameof(Supervisor)));
    }

    private GroupUpdateResult AddGroup(GroupConfig group)
    {
        if (_shuttingDown) return new GroupUpdateResult(group.Name, GroupChange.Added, ErrorCode.ShutdownState);
        if (_directory.HasGroup(group.Name)) return new GroupUpdateResult(group.Name, GroupChange.Added, ErrorCode.AlreadyAdded);
        var added = _directory.AddGroup(group);
        ReloadLog.GroupAdded(_logger, group.Name);
        ((ISupervisionLoop)this).GroupsChanged([group.Name], []);
        StartEach(_directory.InStartOrder(added.Where(p => p.Config.Autostart)).ToList());
        return new GroupUpdateResult(group.Name, GroupChange.Added);
    }

    private GroupUpdateResult RemoveGroup(string group)
    {
        if (!_directory.HasGroup(group)) return new GroupUpdateResult(group, GroupChange.Removed, ErrorCode.BadName);
        // supervisord refuses while any process is not in a stopped state; a child in UNKNOWN still counts as running.
        if (_directory.Members(group).Any(p => p.HasChild || IsRunningState(p.State)))
            return new GroupUpdateResult(group, GroupChange.Removed, ErrorCode.StillRunning);
        _directory.RemoveGroup(group);
        ReloadLog.GroupRemoved(_logger, group);
        ((ISupervisionLoop)this).GroupsChanged([], [group]);
        return new GroupUpdateResult(group, GroupChange.Removed);
    }
}
