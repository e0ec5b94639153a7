using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// The groups and processes the loop supervises, and supervisorctl's name resolution over them.
/// Loop-thread only. Groups can be added and removed one at a time, which is what reload needs.
/// </summary>
internal sealed class ProcessDirectory
{
    private readonly Dictionary<string, List<ManagedProcess>> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _groupPriority = new(StringComparer.Ordinal);
    private readonly List<ManagedProcess> _unordered = [];

    /// <summary>The pending deadlines of every process in the directory, earliest first.</summary>
    public DeadlineQueue Deadlines { get; } = new();

    /// <summary>Every process, in no particular order.</summary>
    public IReadOnlyList<ManagedProcess> Unordered => _unordered;

    /// <summary>Every process, in lexical order of group then name (supervisord's getAllProcessInfo order).</summary>
    public IEnumerable<ManagedProcess> All => _groups
        .OrderBy(g => g.Key, StringComparer.Ordinal)
        .SelectMany(g => g.Value.OrderBy(p => p.Name, StringComparer.Ordinal));

    public bool HasGroup(string name) => _groups.ContainsKey(name);

    public IReadOnlyList<ManagedProcess> AddGroup(GroupConfig group)
    {
        if (_groups.ContainsKey(group.Name)) throw new InvalidOperationException($"group '{group.Name}' already exists");
        var processes = group.Processes.Select(c => new ManagedProcess(c, Deadlines)).ToList();
        _groups[group.Name] = processes;
        _groupPriority[group.Name] = group.Priority;
        _unordered.AddRange(processes);
        return processes;
    }

    /// <summary>Removes a group; the caller makes sure none of its processes has a child.</summary>
    public bool RemoveGroup(string name)
    {
        _groupPriority.Remove(name);
        if (!_groups.Remove(name, out var processes)) return false;
        _unordered.RemoveAll(processes.Contains);
        foreach (var p in processes) Forget(p);
        return true;
    }

    /// <summary>The groups as they run now, each with the configs its processes run with (reload diffs against this).</summary>
    public ImmutableArray<GroupConfig> ActiveGroups() =>
    [
        .. _groups.OrderBy(g => _groupPriority.GetValueOrDefault(g.Key, GroupConfig.DefaultPriority)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new GroupConfig(g.Key, _groupPriority.GetValueOrDefault(g.Key, GroupConfig.DefaultPriority), [.. g.Value.Select(p => p.Config)])),
    ];

    public int ActivePriority(string group) => _groupPriority.GetValueOrDefault(group, GroupConfig.DefaultPriority);

    public IReadOnlyList<ManagedProcess> Members(string group) =>
        _groups.TryGetValue(group, out var members) ? members : [];

    /// <summary>Creates an empty group, or sets the priority of an existing one.</summary>
    public void EnsureGroup(string name, int priority)
    {
        _groups.TryAdd(name, []);
        _groupPriority[name] = priority;
    }

    /// <summary>Adds one instance to its group (created with the default priority if missing).</summary>
    public ManagedProcess AddProcess(ProcessConfig config)
    {
        if (!_groups.TryGetValue(config.GroupName, out var members))
        {
            EnsureGroup(config.GroupName, GroupConfig.DefaultPriority);
            members = _groups[config.GroupName];
        }
        var p = new ManagedProcess(config, Deadlines);
        members.Add(p);
        _unordered.Add(p);
        return p;
    }

    /// <summary>Forgets one instance; the caller makes sure it has no child. Its group stays, even empty.</summary>
    public void RemoveProcess(ManagedProcess p)
    {
        if (_groups.TryGetValue(p.Group, out var members)) members.Remove(p);
        _unordered.Remove(p);
        Forget(p);
    }

    /// <summary>A removed process's deadlines must not fire any more (a BACKOFF retry, say).</summary>
    private void Forget(ManagedProcess p)
    {
        Deadlines.Forget(p);
        p.Deadlines = null;
    }

    /// <summary>Gives a live instance new settings in place, moving it to its new group if that changed.</summary>
    public void Reconfigure(ManagedProcess p, ProcessConfig next)
    {
        if (p.Group != next.GroupName)
        {
            if (_groups.TryGetValue(p.Group, out var from)) from.Remove(p);
            if (!_groups.ContainsKey(next.GroupName)) EnsureGroup(next.GroupName, GroupConfig.DefaultPriority);
            _groups[next.GroupName].Add(p);
        }
        p.Config = next;
    }

    /// <summary>Removes a group that has no process left; false when it is missing or still has some.</summary>
    public bool RemoveGroupIfEmpty(string name) =>
        _groups.TryGetValue(name, out var members) && members.Count == 0 && RemoveGroup(name);

    /// <summary>Start order: ascending priority (process priority, then group priority, then name).</summary>
    public IEnumerable<ManagedProcess> InStartOrder(IEnumerable<ManagedProcess> processes) => processes
        .OrderBy(p => p.Config.Priority)
        .ThenBy(p => _groupPriority.GetValueOrDefault(p.Group, GroupConfig.DefaultPriority))
        .ThenBy(p => p.FullName, StringComparer.Ordinal);

    /// <summary>The one process <c>group:name</c> or a bare <c>name</c> (that is, <c>name:name</c>) designates, as
    /// supervisord's <c>_getGroupAndProcess</c> reads a name for single-process calls; null for anything else
    /// (unknown names, <c>group:*</c>, <c>all</c>).</summary>
    public ManagedProcess? Find(string name)
    {
        var colon = name.IndexOf(':');
        var (group, process) = colon < 0 ? (name, name) : (name[..colon], name[(colon + 1)..]);
        return _groups.TryGetValue(group, out var members) ? members.FirstOrDefault(p => p.Name == process) : null;
    }

    /// <summary>
    /// Resolves supervisorctl names: <c>all</c>, <c>group:*</c>, <c>group:name</c>, <c>name</c> (a group
    /// whose single process has the group's name is that process; any other group name means all of its
    /// processes). Wildcards and group names only select processes accepted by <paramref name="include"/>,
    /// as supervisord's <c>startAllProcesses</c> skips running ones; an explicit process is always
    /// returned so the state machine can say why it refuses. A name matching nothing comes back with a
    /// null process (BadName). Each process appears once, in the order first named.
    /// </summary>
    public List<(string Name, ManagedProcess? Process)> Resolve(IEnumerable<string> names, Func<ManagedProcess, bool> include)
    {
        var result = new List<(string, ManagedProcess?)>();
        var seen = new HashSet<ManagedProcess>();
        foreach (var raw in names)
        {
            var name = raw.Trim();
            if (name == "all")
            {
                AddMany(All);
                continue;
            }

            var colon = name.IndexOf(':');
            var groupName = colon < 0 ? name : name[..colon];
            var processName = colon < 0 ? null : name[(colon + 1)..];
            if (!_groups.TryGetValue(groupName, out var members))
            {
                result.Add((name, null));
                continue;
            }

            if (processName is null or "*" or "")
            {
                // A bare name that is also its group's only process (the usual one-program group) is that process.
                if (processName is null && members is [{ } only] && only.Name == groupName) AddOne(only);
                else AddMany(members);
                continue;
            }

            var match = members.FirstOrDefault(p => p.Name == processName);
            if (match is null) result.Add((name, null));
            else AddOne(match);
        }
        return result;

        void AddOne(ManagedProcess p)
        {
            if (seen.Add(p)) result.Add((p.FullName, p));
        }

        void AddMany(IEnumerable<ManagedProcess> processes)
        {
            foreach (var p in processes)
                if (include(p)) AddOne(p);
        }
    }
}
