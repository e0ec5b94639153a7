using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// A process group, as supervisord has them: each program is a group of its own instances unless
/// a <c>[group:x] programs=a,b</c> section gathers several programs' instances under one name.
/// </summary>
public sealed record GroupConfig(string Name, int Priority, ImmutableArray<ProcessConfig> Processes)
{
    /// <summary>The priority of a group that no <c>[group:x]</c> section sets: a program's default, as in supervisord.</summary>
    public static int DefaultPriority => ProgramKeys.Priority.DefaultValue;

    /// <summary>By content (records alone would compare the array by reference).</summary>
    public bool Equals(GroupConfig? other) =>
        other is not null && Name == other.Name && Priority == other.Priority && Processes.SequenceEqual(other.Processes);

    public override int GetHashCode() => HashCode.Combine(Name, Priority, Processes.Length);
}
