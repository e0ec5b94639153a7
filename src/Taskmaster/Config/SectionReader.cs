using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// Typed access to one section's values for the binder: resolves both dialects' spellings to the
/// canonical key, expands <c>%(...)</c> names, parses, and reports any problem at the exact
/// character (when the value was not changed by expansion) or at the value's start.
/// </summary>
internal sealed class SectionReader
{
    private readonly Dictionary<string, IniEntry> _byCanonical = [];
    private readonly DiagnosticBag _diagnostics;

    public SectionReader(IniSection section, SectionKind kind, DiagnosticBag diagnostics, string displayName)
    {
        Section = section;
        DisplayName = displayName;
        _diagnostics = diagnostics;
        foreach (var entry in section.Entries)
        {
            var info = KeyCatalogue.Find(kind, entry.Key);
            if (info is null)
            {
                var hint = DidYouMean.Suggest(entry.Key, KeyCatalogue.Spellings(kind));
                diagnostics.Warning(entry.KeyLocation, displayName, entry.Key,
                    hint is null ? "unknown key, ignored" : $"unknown key, ignored (did you mean '{hint}'?)", entry.LineText);
                continue;
            }
            if (!info.Implemented)
                diagnostics.Warning(entry.KeyLocation, displayName, entry.Key, "supervisord key not implemented, ignored", entry.LineText);
            if (_byCanonical.TryGetValue(info.Name, out var first))
            {
                diagnostics.Error(entry.KeyLocation, displayName, entry.Key,
                    $"'{entry.Key}' repeats '{first.Key}' (set at {first.KeyLocation}): the two spellings name the same key", entry.LineText);
                continue;
            }
            _byCanonical[info.Name] = entry;
        }
    }

    public IniSection Section { get; }
    public string DisplayName { get; }

    /// <summary>The names <c>%(...)</c> may use in this section's values.</summary>
    public ExpansionNames Names { get; set; } = new();

    /// <summary>Canonical key → where its value came from, for the keys read so far.</summary>
    public Dictionary<string, SourceLocation> Origins { get; } = [];

    public IniEntry? Entry(string key) => _byCanonical.GetValueOrDefault(key);

    /// <summary>The expanded text of <paramref name="key"/>, or null when absent or broken (then reported).</summary>
    public string? Text(string key)
    {
        if (Entry(key) is not { } entry) return null;
        Origins[key] = entry.ValueLocation;
        if (Expander.TryExpand(entry.Value, Names, out var expanded, out var error)) return expanded;
        Report(entry, error, expanded: false);
        return null;
    }

    /// <summary>The parsed value of <paramref name="key"/>, or <paramref name="fallback"/> when absent or broken.</summary>
    public T Get<T>(string key, T fallback, ValueParser<T> parser)
    {
        if (Text(key) is not { } text) return fallback;
        var entry = Entry(key)!;
        if (parser(text, out var value, out var error)) return value;
        Report(entry, error, expanded: text != entry.Value);
        return fallback;
    }

    /// <summary>The parsed value of a key read once per section, or its default when absent or broken.</summary>
    public T Get<T>(ProgramKey<T> key) => Get(key.Name, key.DefaultValue, key.Parse!);

    public void Report(IniEntry entry, ValueError error, bool expanded)
    {
        // After an expansion the offsets no longer match the file, so point at the value's start.
        var offset = expanded ? 0 : Math.Clamp(error.Offset, 0, Math.Max(0, entry.Value.Length - 1));
        _diagnostics.Error(entry.LocationAt(offset), DisplayName, entry.Key, error.Message, entry.LineTextAt(offset));
    }

    /// <summary>An error in a file a key names (an env file): its own place, this section and key.</summary>
    public void ErrorIn(SourceLocation at, string? key, string message, string lineText) =>
        _diagnostics.Error(at, DisplayName, key, message, lineText);

    public void ErrorAtHeader(string message) =>
        _diagnostics.Error(Section.Location, DisplayName, null, message, Section.HeaderLine);

    public void Warning(IniEntry entry, string message) =>
        _diagnostics.Warning(entry.ValueLocation, DisplayName, entry.Key, message, entry.LineText);

    public void Error(IniEntry entry, string message) =>
        _diagnostics.Error(entry.ValueLocation, DisplayName, entry.Key, message, entry.LineText);
}
