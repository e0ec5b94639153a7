using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>A <c>[program:x]</c> (or short-dialect <c>[x]</c>) section and the instances it expands into.</summary>
public sealed record ProgramConfig(string Name, SourceLocation Location, ImmutableArray<ProcessConfig> Instances)
{
    public int Numprocs => Instances.Length;

    /// <summary>Name and instances by content; the section's position is not part of its identity.</summary>
    public bool Equals(ProgramConfig? other) =>
        other is not null && Name == other.Name && Instances.SequenceEqual(other.Instances);

    public override int GetHashCode() => HashCode.Combine(Name, Instances.Length);
}
