namespace Taskmaster.Config;

/// <summary>
/// The rules of <c>depends_on</c> across programs, checked once every program is bound: each name must be a program
/// or a group, and the graph must have no cycle. Both are errors at the edge as written (<c>file:line:col</c>), every
/// edge of a cycle its own, so the person editing the file sees each place the loop passes through.
/// </summary>
internal static class DependencyCheck
{
    /// <summary>The programs a dependency's target names: the program itself, or every program of the group.</summary>
    public static IReadOnlyList<string> Resolve(string target, IReadOnlyCollection<ProgramConfig> programs, IReadOnlyCollection<GroupConfig> groups)
    {
        if (programs.Any(p => p.Name == target)) return [target];
        return groups.FirstOrDefault(g => g.Name == target) is { } group
            ? [.. group.Processes.Select(p => p.ProgramName).Distinct(StringComparer.Ordinal)]
            : [];
    }

    public static void Run(IReadOnlyCollection<ProgramConfig> programs, IReadOnlyCollection<GroupConfig> groups,
        Func<string, (string Section, SourceLocation At, string Line)> sectionOf, DiagnosticBag diagnostics)
    {
        // Program → (edge, the programs it reaches); every instance of a program has the same edges but for expansions.
        var edges = new Dictionary<string, List<(Dependency Edge, IReadOnlyList<string> To)>>(StringComparer.Ordinal);
        foreach (var program in programs)
        {
            var list = edges[program.Name] = [];
            foreach (var edge in program.Instances.SelectMany(i => i.DependsOn).Distinct())
            {
                var to = Resolve(edge.Target, programs, groups);
                if (to.Count == 0)
                    Report(program.Name, edge, $"no program or group named '{edge.Target}'");
                else
                    list.Add((edge, to));
            }
        }

        // Depth-first search; a back edge closes a cycle, whose edges are those on the path from its target.
        var state = new Dictionary<string, int>(StringComparer.Ordinal); // 1 = on the path, 2 = done
        var path = new List<(string From, Dependency Edge)>();
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var program in programs) Visit(program.Name);

        void Visit(string name)
        {
            state[name] = 1;
            foreach (var (edge, to) in edges.GetValueOrDefault(name) ?? [])
                foreach (var next in to)
                {
                    path.Add((name, edge));
                    switch (state.GetValueOrDefault(next))
                    {
                        case 0: Visit(next); break;
                        case 1: ReportCycle(next); break;
                    }
                    path.RemoveAt(path.Count - 1);
                }
            state[name] = 2;
        }

        void ReportCycle(string closesAt)
        {
            var first = path.FindLastIndex(step => step.From == closesAt);
            var cycle = path[first..];
            var names = string.Join(" -> ", cycle.Select(s => s.From).Append(closesAt));
            var key = string.Join(",", cycle.Select(s => s.From).Order(StringComparer.Ordinal));
            if (!reported.Add(key)) return;
            foreach (var (from, edge) in cycle) Report(from, edge, $"dependency cycle: {names}");
        }

        void Report(string program, Dependency edge, string message)
        {
            var (section, at, line) = sectionOf(program);
            diagnostics.Error(edge.At ?? at, section, "depends_on", message, edge.At is null ? line : edge.LineText);
        }
    }
}
