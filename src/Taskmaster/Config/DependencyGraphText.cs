namespace Taskmaster.Config;

/// <summary>
/// The dependency graph as <c>taskmasterd --check</c> prints it: the programs in the order their starts can happen
/// (each after what it waits for), each with its edges, so the start order and every wait read top to bottom.
/// Nothing is printed for a configuration without <c>depends_on</c>.
/// </summary>
public static class DependencyGraphText
{
    public static void Write(SupervisorConfig config, TextWriter output)
    {
        var programs = config.Programs;
        if (programs.All(p => p.Instances.All(i => i.DependsOn.IsEmpty))) return;
        output.WriteLine();
        output.WriteLine("dependencies (start order; stop is the reverse):");
        foreach (var (program, level) in Levels(config))
        {
            var edges = program.Instances.SelectMany(i => i.DependsOn).Distinct().ToList();
            var waits = edges.Count == 0 ? "" : "  waits for " + string.Join(", ", edges.Select(e => $"{e.Target} ({e.ConditionWord})"));
            output.WriteLine($"  {level,2}  {program.Name}{waits}");
        }
    }

    /// <summary>Each program with its depth: 0 for one that waits for nothing, else one more than its deepest dependency.</summary>
    public static IEnumerable<(ProgramConfig Program, int Level)> Levels(SupervisorConfig config)
    {
        var programs = config.Programs;
        var depth = new Dictionary<string, int>(StringComparer.Ordinal);
        int Depth(ProgramConfig p)
        {
            if (depth.TryGetValue(p.Name, out var known)) return known;
            depth[p.Name] = 0; // a cycle never gets here (the loader refuses it); the guard only ends the walk
            var d = 0;
            foreach (var edge in p.Instances.SelectMany(i => i.DependsOn))
                foreach (var target in DependencyCheck.Resolve(edge.Target, programs, config.Groups))
                    if (programs.FirstOrDefault(x => x.Name == target) is { } next && next != p)
                        d = Math.Max(d, Depth(next) + 1);
            return depth[p.Name] = d;
        }
        return programs.Select(p => (p, Depth(p))).OrderBy(x => x.Item2).ThenBy(x => x.p.Name, StringComparer.Ordinal).ToList();
    }
}
