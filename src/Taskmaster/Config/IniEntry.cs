using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// One <c>key = value</c> of an INI section, with enough position data to point a caret at any
/// character of the value, even one on a continuation line.
/// </summary>
/// <param name="Key">The key, lowercased as ConfigParser's optionxform does.</param>
/// <param name="Value">The value: inline comment removed, continuation lines joined with '\n'.</param>
/// <param name="KeyLocation">Where the key starts.</param>
/// <param name="Segments">For each physical line of the value: where it starts and at which offset of <see cref="Value"/>.</param>
/// <param name="LineText">The physical line the key is on (for the diagnostic's excerpt).</param>
internal sealed record IniEntry(string Key, string Value, SourceLocation KeyLocation,
    ImmutableArray<IniValueSegment> Segments, string LineText)
{
    /// <summary>Where the value starts (the caret position for "bad value" errors).</summary>
    public SourceLocation ValueLocation => Segments[0].Location;

    /// <summary>The location of the character at <paramref name="offset"/> in <see cref="Value"/>.</summary>
    public SourceLocation LocationAt(int offset)
    {
        var segment = Segments[0];
        foreach (var s in Segments)
            if (s.Offset <= offset) segment = s;
        var column = segment.Location.Column + Math.Max(0, offset - segment.Offset);
        return segment.Location with { Column = column };
    }

    /// <summary>The physical text of the line holding <paramref name="offset"/>.</summary>
    public string LineTextAt(int offset)
    {
        var segment = Segments[0];
        foreach (var s in Segments)
            if (s.Offset <= offset) segment = s;
        return segment.LineText;
    }
}

/// <summary>One physical line's share of a (possibly multi-line) value.</summary>
internal readonly record struct IniValueSegment(SourceLocation Location, int Offset, string LineText);
