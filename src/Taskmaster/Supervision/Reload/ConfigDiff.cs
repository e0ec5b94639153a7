using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// The difference between the running configuration and a new one, instance by instance, plus the
/// group-level summary supervisorctl's <c>reread</c> prints. A pure function of two lists of groups.
/// </summary>
/// <remarks>
/// Identity of an instance: its program name and <c>process_num</c>. So <c>numprocs</c> 4→6 adds the two last
/// instances and leaves the first four alone, 6→4 removes only the two last, and a program moved into (or out
/// of) a <c>[group:x]</c> keeps its running children: the group is a setting that changes in place. The process
/// name is not the identity because it contains the group (<c>grp:web</c>) and, with the default
/// <c>process_name</c>, changes with numprocs 1↔2; a new name is a restart (the child sees its name in
/// <c>SUPERVISOR_PROCESS_NAME</c>).
/// Matching runs in two passes: same group, program and number first (which also pairs the duplicates that a
/// program listed in two groups creates), then program and number across groups (moves).
/// </remarks>
public sealed record ConfigDiff(ImmutableArray<InstanceChange> Instances, ConfigChanges Groups,
    ImmutableDictionary<string, int> NewGroupPriorities)
{
    /// <summary>True when nothing at all differs (no instance, no group priority).</summary>
    public bool IsEmpty => Groups.IsEmpty;

    /// <summary>Every instance that is not <see cref="InstanceChangeKind.Unchanged"/>.</summary>
    public IEnumerable<InstanceChange> Changes => Instances.Where(c => c.Kind != InstanceChangeKind.Unchanged);

    public static ConfigDiff Compute(IEnumerable<GroupConfig> active, IEnumerable<GroupConfig> next)
    {
        var activeGroups = active.ToList();
        var nextGroups = next.ToList();
        var olds = activeGroups.SelectMany(g => g.Processes).ToList();
        var news = nextGroups.SelectMany(g => g.Processes).ToList();
        var changes = new List<InstanceChange>();

        var unmatchedOld = new List<ProcessConfig>();
        var byExactKey = news.GroupBy(p => (p.GroupName, p.ProgramName, p.ProcessNum))
            .ToDictionary(g => g.Key, g => new Queue<ProcessConfig>(g));
        foreach (var old in olds)
        {
            if (byExactKey.TryGetValue((old.GroupName, old.ProgramName, old.ProcessNum), out var q) && q.Count > 0)
                changes.Add(ProcessConfigDelta.Compare(old, q.Dequeue()));
            else
                unmatchedOld.Add(old);
        }

        var byProgramKey = byExactKey.Values.SelectMany(q => q)
            .GroupBy(p => (p.ProgramName, p.ProcessNum))
            .ToDictionary(g => g.Key, g => new Queue<ProcessConfig>(g));
        foreach (var old in unmatchedOld)
        {
            if (byProgramKey.TryGetValue((old.ProgramName, old.ProcessNum), out var q) && q.Count > 0)
                changes.Add(ProcessConfigDelta.Compare(old, q.Dequeue()));
            else
                changes.Add(new InstanceChange(InstanceChangeKind.Removed, old, null, []));
        }

        // What is left over is new, in the new file's order.
        var leftover = byProgramKey.Values.SelectMany(q => q).ToHashSet(ReferenceEqualityComparer.Instance);
        foreach (var added in news.Where(leftover.Contains))
            changes.Add(new InstanceChange(InstanceChangeKind.Added, null, added, []));

        var priorities = nextGroups.ToImmutableDictionary(g => g.Name, g => g.Priority, StringComparer.Ordinal);
        return new ConfigDiff([.. changes], Summarise(activeGroups, nextGroups, changes), priorities);
    }

    /// <summary>
    /// supervisorctl's <c>reload</c>: every running instance goes and every configured one comes back fresh,
    /// whether it changed or not.
    /// </summary>
    public static ConfigDiff Replacing(IEnumerable<GroupConfig> active, IEnumerable<GroupConfig> next)
    {
        var activeGroups = active.ToList();
        var nextGroups = next.ToList();
        var changes = activeGroups.SelectMany(g => g.Processes)
            .Select(p => new InstanceChange(InstanceChangeKind.Removed, p, null, []))
            .Concat(nextGroups.SelectMany(g => g.Processes).Select(p => new InstanceChange(InstanceChangeKind.Added, null, p, [])))
            .ToImmutableArray();
        var summary = new ConfigChanges(
            [.. nextGroups.Select(g => g.Name).Order(StringComparer.Ordinal)], [],
            [.. activeGroups.Select(g => g.Name).Order(StringComparer.Ordinal)]);
        return new ConfigDiff(changes, summary,
            nextGroups.ToImmutableDictionary(g => g.Name, g => g.Priority, StringComparer.Ordinal));
    }

    /// <summary>
    /// A group is available when only the new file has it, disappeared when only the running one does, and
    /// changed when its priority or any instance entering, leaving or living in it changed.
    /// </summary>
    private static ConfigChanges Summarise(List<GroupConfig> active, List<GroupConfig> next, List<InstanceChange> changes)
    {
        var activeNames = active.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var nextNames = next.Select(g => g.Name).ToHashSet(StringComparer.Ordinal);
        var added = nextNames.Where(n => !activeNames.Contains(n)).Order(StringComparer.Ordinal).ToList();
        var removed = activeNames.Where(n => !nextNames.Contains(n)).Order(StringComparer.Ordinal).ToList();

        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var c in changes.Where(c => c.Kind != InstanceChangeKind.Unchanged))
        {
            if (c.Old is { } o) touched.Add(o.GroupName);
            if (c.New is { } n) touched.Add(n.GroupName);
        }
        var activePriority = active.ToDictionary(g => g.Name, g => g.Priority, StringComparer.Ordinal);
        foreach (var g in next)
            if (activePriority.TryGetValue(g.Name, out var p) && p != g.Priority) touched.Add(g.Name);

        var changed = touched.Where(n => activeNames.Contains(n) && nextNames.Contains(n)).Order(StringComparer.Ordinal).ToList();
        return new ConfigChanges(added, changed, removed);
    }

    /// <summary>By content (records alone would compare the arrays by reference).</summary>
    public bool Equals(ConfigDiff? other) =>
        other is not null && Instances.SequenceEqual(other.Instances)
        && Groups.Added.SequenceEqual(other.Groups.Added) && Groups.Changed.SequenceEqual(other.Groups.Changed)
        && Groups.Removed.SequenceEqual(other.Groups.Removed);

    public override int GetHashCode() => Instances.Length;
}
