namespace Taskmaster.Config;

/// <summary>
/// One problem found in a configuration: <c>file:line:col: [section] key: message</c>, then the
/// offending line and a caret under the column.
/// </summary>
public sealed record ConfigDiagnostic(SourceLocation Location, string? Section, string? Key, string Message, string? LineText)
{
    /// <summary>The one-line form, <c>file:line:col: [section] key: message</c>.</summary>
    public string Headline
    {
        get
        {
            var where = Section is null ? "" : Key is null ? $"[{Section}] " : $"[{Section}] {Key}: ";
            return $"{Location}: {where}{Message}";
        }
    }

    /// <summary>Headline, the offending line, and a caret under the column.</summary>
    public override string ToString()
    {
        if (LineText is null) return Headline;
        var caretPad = new string(' ', Math.Max(0, Location.Column - 1));
        return $"{Headline}\n    {LineText}\n    {caretPad}^";
    }
}
