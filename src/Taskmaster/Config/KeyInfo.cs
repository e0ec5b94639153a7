using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>One known configuration key as the reference table shows it: its spellings, its default and what it does.</summary>
/// <param name="Section">The kind of section it belongs to.</param>
/// <param name="Name">The supervisord name (the canonical one, used in <see cref="ProcessConfig.Origins"/>).</param>
/// <param name="Aliases">Other spellings of the same key (the short dialect's <c>cmd</c> for <c>command</c>).</param>
/// <param name="Default">The default as written in the reference table.</param>
/// <param name="Description">One line for the reference table.</param>
/// <param name="Implemented">False for supervisord keys accepted with a "not implemented" warning.</param>
public sealed record KeyInfo(SectionKind Section, string Name, ImmutableArray<string> Aliases, string Default, string Description,
    bool Implemented = true)
{
    /// <summary>A key with no other spelling.</summary>
    public KeyInfo(SectionKind section, string name, string @default, string description, bool implemented = true)
        : this(section, name, [], @default, description, implemented) { }

    /// <summary>The name, then the aliases.</summary>
    public IEnumerable<string> Spellings => Aliases.Insert(0, Name);
}
