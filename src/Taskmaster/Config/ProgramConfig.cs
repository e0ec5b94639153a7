using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>A <c>[program:x]</c> (or short-dialect <c>[x]</c>) section and the instances it expands into.</summary>
public sealed record ProgramConfig(string Name, SourceLocation Location, ImmutableArray<ProcessConfig> Instances)
{
    public int Numprocs => Instances.Length;
}
