using System.Diagnostics;

namespace Taskmaster.Config;

/// <summary>Reads a value whose meaning depends on the instance being bound.</summary>
internal delegate bool InstanceParser<T>(string text, InstanceScope at, out T value, out ValueError error);

/// <summary>
/// One instance of a program while <see cref="ProgramKeys"/> are read into it, key after key in the table's order:
/// what a key's parser may need to know (the file's directory, the instance's number, the settings read so far) and
/// where its problems are reported (at the key's entry, through the section's reader).
/// </summary>
internal sealed class InstanceScope(SectionReader reader, int numprocs, int processNum, AutoLogNames autoLogs, ProcessConfig seed)
{
    /// <summary>Directory of the file that holds the section (<c>%(here)s</c>).</summary>
    public string Here => reader.Section.Here;

    public int Numprocs { get; } = numprocs;

    public int ProcessNum { get; } = processNum;

    /// <summary>Where AUTO logs go (in the daemon's <c>childlogdir</c>).</summary>
    public AutoLogNames AutoLogs { get; } = autoLogs;

    /// <summary>The instance with every key before the current one read.</summary>
    public ProcessConfig Config { get; private set; } = seed;

    /// <summary>The current key's entry, or null while its default is read.</summary>
    public IniEntry? Entry { get; private set; }

    /// <summary>Reads <paramref name="keys"/> in order into the instance.</summary>
    public ProcessConfig Bind(IEnumerable<ProgramKey> keys)
    {
        foreach (var key in keys)
            Config = key.Bind(this, Config);
        return Config;
    }

    /// <summary>
    /// The key's value for this instance: from its entry (expanded, its origin recorded, a problem reported), or from
    /// a default that depends on the instance. False when the entry is broken, or when the key is absent and its
    /// shared default holds already.
    /// </summary>
    internal bool TryRead<T>(ProgramKey<T> key, out T value)
    {
        value = default!;
        Entry = reader.Entry(key.Name);
        if (Entry is null)
        {
            if (key.DefaultTextFor(this) is not { } raw) return false;
            var read = Expander.TryExpand(raw, reader.Names, out var text, out _) && key.TryParse(text, this, out value, out _);
            Debug.Assert(read, $"the default of {key.Name} does not read for {Config.ProgramName}");
            return read;
        }
        if (reader.Text(key.Name) is not { } expanded) return false;
        if (key.TryParse(expanded, this, out value, out var error)) return true;
        reader.Report(Entry, error, expanded: expanded != Entry.Value);
        return false;
    }

    /// <summary>A warning at the current key's entry (a default never warrants one).</summary>
    public void Warn(string message)
    {
        if (Entry is { } entry) reader.Warning(entry, message);
    }

    /// <summary>An error in another file the current key names (an env file), at its own line and column.</summary>
    public void ErrorAt(SourceLocation location, string lineText, string message) =>
        reader.ErrorIn(location, Entry?.Key, message, lineText);

    /// <summary>An error at the current key's entry, or at the section's header for a default.</summary>
    public void Error(string message)
    {
        if (Entry is { } entry) reader.Error(entry, message);
        else reader.ErrorAtHeader(message);
    }
}
