using System.Collections.Immutable;
using Taskmaster.Config;
using Taskmaster.Names;

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

    /// <summary>Bumped by every change to which processes exist or to their settings: what is built from the
    /// directory (the dependency graph) is built again when it moved.</summary>
    public int Version { get; private set; }

    public bool HasGroup(string name) => _groups.ContainsKey(name);

    public IReadOnlyList<ManagedProcess> AddGroup(GroupConfig group)
    {
        if (_groups.ContainsKey(group.Name)) throw new InvalidOperationException($"group '{group.Name}' already exists");
        var processes = group.Processes.Select(c => new ManagedProcess(c, Deadlines)).ToList();
        _groups[group.Name] = processes;
        _groupPriority[group.Name] = group.Priority;
        _unordered.AddRange(processes);
        Version++;
        return processes;
    }

    /// <summary>Removes a group; the caller makes sure none of its processes has a child.</summary>
    public bool RemoveGroup(string name)
    {
        _groupPriority.Remove(name);
        if (!_groups.Remove(name, out var processes)) return false;
        _unordered.RemoveAll(processes.Contains);
        foreach (var p in processes) Forget(p);
        Version++;
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
        Version++;
        return p;
    }

    /// <summary>Forgets one instance; the caller makes sure it has no child. Its group stays, even empty.</summary>
    public void RemoveProcess(ManagedProcess p)
    {
        if (_groups.TryGetValue(p.Group, out var members)) members.Remove(p);
        _unordered.Remove(p);
        Forget(p);
        Version++;
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
        Version++;
    }

    /// <summary>Removes a group that has no process left; false when it is missing or still has some.</summary>
    public bool RemoveGroupIfEmpty(string name) =>
        _groups.TryGetValue(name, out var members) && members.Count == 0 && RemoveGroup(name);

    /// <summary>Start order: ascending priority (process priority, then group priority, then name).</summary>
    public IEnumerable<ManagedProcess> InStartOrder(IEnumerable<ManagedProcess> processes) => processes
        .OrderBy(p => p.Config.Priority)
        .ThenBy(p => _groupPriority.GetValueOrDefault(p.Group, GroupConfig.DefaultPriority))
        .ThenBy(p => p.FullName, StringComparer.Ordinal);

    /// <summary>The one process a name designates (<c>group:name</c>, or a bare <c>name</c> for <c>name:name</c>), as
    /// single-process commands read it; null for anything else (unknown names, <c>group:*</c>, <c>all</c>).</summary>
    public ManagedProcess? Find(string name) => Find(Namespec.Parse(name));

    private ManagedProcess? Find(Namespec spec) =>
        spec.Scope == NameScope.Process && _groups.TryGetValue(spec.Group, out var members)
            ? members.FirstOrDefault(p => p.Name == spec.Process)
            : null;

    /// <summary>
    /// Resolves names by the <see cref="Namespec"/> rule (<c>all</c>, <c>group:*</c>, <c>group:name</c>, and a bare
    /// <c>name</c> for <c>name:name</c> only). <c>all</c> and <c>group:*</c> only select processes accepted by
    /// <paramref name="include"/>, as supervisord's <c>startProcessGroup</c> skips running ones; an explicit process
    /// is always returned so the state machine can say why it refuses. A name that selects nothing it should (an
    /// unknown process, an unknown group) comes back as given with a null process. Each process appears once, in
    /// the order first named.
    /// </summary>
    public List<(string Name, ManagedProcess? Process)> Resolve(IEnumerable<string> names, Func<ManagedProcess, bool> include)
    {
        var result = new List<(string, ManagedProcess?)>();
        var seen = new HashSet<ManagedProcess>();
        foreach (var name in names)
        {
            var spec = Namespec.Parse(name);
            if (spec.Scope == NameScope.All)
                AddMany(All);
            else if (spec.Scope == NameScope.Group && _groups.TryGetValue(spec.Group, out var members))
                AddMany(members);
            else if (Find(spec) is { } process)
                AddOne(process);
            else
                result.Add((name.Trim(), null));
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
