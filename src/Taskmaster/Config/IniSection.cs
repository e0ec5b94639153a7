namespace Taskmaster.Config;

/// <summary>One <c>[name]</c> section of one file, its entries in file order.</summary>
internal sealed class IniSection(string name, SourceLocation location, string headerLine)
{
    /// <summary>The name between the brackets, trimmed; case-sensitive as in ConfigParser.</summary>
    public string Name { get; } = name;
    /// <summary>Where the name starts (one past the '[').</summary>
    public SourceLocation Location { get; } = location;
    public string HeaderLine { get; } = headerLine;
    public List<IniEntry> Entries { get; } = [];
    /// <summary>Directory of the file that holds the section: what <c>%(here)s</c> means inside it.</summary>
    public string Here => Path.GetDirectoryName(Location.File) ?? "/";
}
