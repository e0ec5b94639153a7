using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// A program's command as it will be executed. Decided once at load time: a command with no shell
/// syntax is split into words and executed directly (so the supervised pid is the program itself);
/// anything else runs as <c>/bin/sh -c Raw</c>.
/// </summary>
/// <param name="Raw">The command text after expansions.</param>
/// <param name="Argv">The argument vector to execute; <c>Argv[0]</c> is looked up on the child's PATH when it has no slash.</param>
/// <param name="UsesShell">True when <see cref="Argv"/> is <c>["/bin/sh", "-c", Raw]</c>.</param>
public sealed record CommandLine(string Raw, ImmutableArray<string> Argv, bool UsesShell)
{
    // Records compare ImmutableArray by reference; reload diffs need two loads of one text to be equal.
    public bool Equals(CommandLine? other) =>
        other is not null && Raw == other.Raw && UsesShell == other.UsesShell && Argv.SequenceEqual(other.Argv);

    public override int GetHashCode() => HashCode.Combine(Raw, UsesShell, Argv.Length);
}
