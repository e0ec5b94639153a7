using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// A program's command as it will be executed: split once at load time into words (as supervisord splits it,
/// see <see cref="CommandLineSplitter"/>) and executed directly, never through a shell, so the supervised pid is
/// the program itself.
/// </summary>
/// <param name="Raw">The command text after expansions.</param>
/// <param name="Argv">The argument vector to execute; <c>Argv[0]</c> is looked up on the child's PATH when it has no slash.</param>
public sealed record CommandLine(string Raw, ImmutableArray<string> Argv)
{
    // Records compare ImmutableArray by reference; reload diffs need two loads of one text to be equal.
    public bool Equals(CommandLine? other) =>
        other is not null && Raw == other.Raw && Argv.SequenceEqual(other.Argv);

    public override int GetHashCode() => HashCode.Combine(Raw, Argv.Length);
}
