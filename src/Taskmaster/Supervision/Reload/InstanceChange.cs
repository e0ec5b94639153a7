using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// One process instance across two configurations. <see cref="Old"/> is null for an added instance,
/// <see cref="New"/> for a removed one. <see cref="Fields"/> names the settings that differ, as config keys
/// (for <see cref="InstanceChangeKind.Restart"/> only the ones that force the restart).
/// </summary>
public sealed record InstanceChange(InstanceChangeKind Kind, ProcessConfig? Old, ProcessConfig? New, ImmutableArray<string> Fields)
{
    /// <summary>The instance as it is known now (the old config when there is one).</summary>
    public ProcessConfig Current => Old ?? New!;

    /// <summary>True when the instance lives in <paramref name="group"/> before or after the change.</summary>
    public bool Touches(string group) => Old?.GroupName == group || New?.GroupName == group;

    public override string ToString() =>
        $"{Kind} {Current.FullName}{(Fields.IsEmpty ? "" : " (" + string.Join(", ", Fields) + ")")}";

    /// <summary>By content (records alone would compare <see cref="Fields"/> by reference).</summary>
    public bool Equals(InstanceChange? other) =>
        other is not null && Kind == other.Kind && Equals(Old, other.Old) && Equals(New, other.New)
        && Fields.SequenceEqual(other.Fields);

    public override int GetHashCode() => HashCode.Combine(Kind, Old, New);
}
