using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// <c>depends_on</c> resolved to the processes the loop owns: for each process, the instances each of its edges
/// waits for (a program's or a group's every instance), and the reverse, who waits for a process. Built from the
/// directory as it is, again after each change to it (a reload), so no edge ever points at a forgotten process.
/// Loop thread only. The configuration has no cycle (<see cref="DependencyCheck"/> refused it otherwise).
/// </summary>
internal sealed class DependencyGraph
{
    private static readonly IReadOnlyList<ManagedProcess> None = [];

    private readonly Dictionary<ManagedProcess, List<(Dependency Edge, List<ManagedProcess> Targets)>> _edges =
        new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<ManagedProcess, List<ManagedProcess>> _dependents = new(ReferenceEqualityComparer.Instance);

    public DependencyGraph(IReadOnlyList<ManagedProcess> processes)
    {
        if (!processes.Any(p => !p.Config.DependsOn.IsEmpty)) return;
        var byProgram = processes.ToLookup(p => p.Config.ProgramName, StringComparer.Ordinal);
        var byGroup = processes.ToLookup(p => p.Group, StringComparer.Ordinal);
        foreach (var p in processes)
        {
            if (p.Config.DependsOn.IsEmpty) continue;
            var list = _edges[p] = [];
            foreach (var edge in p.Config.DependsOn)
            {
                var targets = (byProgram.Contains(edge.Target) ? byProgram[edge.Target] : byGroup[edge.Target])
                    .Where(t => !ReferenceEquals(t, p)).ToList();
                list.Add((edge, targets));
                foreach (var t in targets)
                {
                    if (!_dependents.TryGetValue(t, out var waiters)) _dependents[t] = waiters = [];
                    if (!waiters.Contains(p)) waiters.Add(p);
                }
            }
        }
    }

    /// <summary>True when no process has a dependency: the gate then costs nothing.</summary>
    public bool IsEmpty => _edges.Count == 0;

    /// <summary>What <paramref name="p"/> waits for: each edge with the instances it names.</summary>
    public IReadOnlyList<(Dependency Edge, List<ManagedProcess> Targets)> EdgesOf(ManagedProcess p) =>
        _edges.TryGetValue(p, out var edges) ? edges : [];

    /// <summary>The processes with an edge to <paramref name="p"/>.</summary>
    public IReadOnlyList<ManagedProcess> DependentsOf(ManagedProcess p) =>
        _dependents.TryGetValue(p, out var list) ? list : None;

    /// <summary>
    /// Stop order inside <paramref name="stopping"/>: 0 for a process none of whose dependents is stopped with it, else
    /// one more than its highest dependent's, so a dependency stops after every dependent stopped with it.
    /// </summary>
    public Func<ManagedProcess, int> StopRanks(IReadOnlyCollection<ManagedProcess> stopping)
    {
        if (IsEmpty) return static _ => 0;
        var set = stopping.ToHashSet(ReferenceEqualityComparer.Instance);
        var ranks = new Dictionary<ManagedProcess, int>(ReferenceEqualityComparer.Instance);
        return Rank;

        int Rank(ManagedProcess p)
        {
            if (ranks.TryGetValue(p, out var known)) return known;
            ranks[p] = 0; // no cycle reaches here, but a guard costs nothing
            var rank = 0;
            foreach (var d in DependentsOf(p))
                if (set.Contains(d)) rank = Math.Max(rank, Rank(d) + 1);
            return ranks[p] = rank;
        }
    }
}
