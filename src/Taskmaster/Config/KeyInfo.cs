namespace Taskmaster.Config;

/// <summary>One known configuration key: its names in both dialects, its default and what it does.</summary>
/// <param name="Section">The kind of section it belongs to.</param>
/// <param name="Name">The supervisord name (the canonical one, used in <see cref="ProcessConfig.Origins"/>).</param>
/// <param name="ShortName">The short-dialect alias (<c>cmd</c> for <c>command</c>), or null.</param>
/// <param name="Default">The default as written in the reference table.</param>
/// <param name="Description">One line for the reference table.</param>
/// <param name="Implemented">False for supervisord keys accepted with a "not implemented" warning.</param>
public sealed record KeyInfo(SectionKind Section, string Name, string? ShortName, string Default, string Description, bool Implemented = true);
