using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// What <c>env_file</c> gave an instance: the files as written (for <c>--check</c>) and the variables they set, as read
/// when the configuration was loaded, sorted by name and without those that <c>environment</c> sets (which wins).
/// </summary>
/// <remarks>
/// Two sets are the same setting when their <see cref="Variables"/> are: the child's resolved environment is all that
/// a reload must judge, so renaming or reordering files that say the same thing restarts nothing, and a change to a
/// variable that <c>environment</c> overrides is no change either.
/// </remarks>
public sealed record EnvFileSet(ImmutableArray<string> Paths, ImmutableArray<KeyValuePair<string, string>> Variables)
{
    public static EnvFileSet None { get; } = new([], []);

    public bool IsEmpty => Paths.IsDefaultOrEmpty;

    /// <summary>Same resolved variables (the paths are not part of the setting).</summary>
    public static bool SameVariables(EnvFileSet a, EnvFileSet b) => a.Variables.SequenceEqual(b.Variables);
}
