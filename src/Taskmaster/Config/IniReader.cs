using System.Collections.Immutable;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Reads INI text the way supervisord's ConfigParser does, keeping the position of everything.
/// <para>
/// Rules (Python's RawConfigParser with supervisord's settings): a line is
/// a <c>[section]</c> header, a <c>key = value</c> / <c>key: value</c> pair (split at the first
/// <c>=</c> or <c>:</c>), a comment (<c>;</c> or <c>#</c> first), or blank. <c>;</c> and <c>#</c>
/// preceded by whitespace start an inline comment. A line indented deeper than the key line that
/// precedes it continues that key's value: its stripped text is appended after a '\n' (blank lines
/// between are kept, trailing ones dropped, comment lines skipped). Keys are lowercased, section
/// names are not. A key repeated in one section replaces the earlier setting (a warning, as supervisord loads it);
/// duplicate sections are left to the loader, which sees every file.
/// </para>
/// </summary>
internal static class IniReader
{
    public static List<IniSection> Read(string text, string file, DiagnosticBag diagnostics)
    {
        var sections = new List<IniSection>();
        if (text.Length > 0 && text[0] == '\uFEFF') text = text[1..];
        var lines = text.Split('\n');

        IniSection? section = null;
        PendingEntry? pending = null;
        var keyIndent = 0;
        var blankLinesInValue = 0;

        void Flush()
        {
            if (pending is null || section is null) { pending = null; return; }
            section.Entries.Add(pending.Build());
            pending = null;
        }

        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var lineNo = i + 1;
            var commentStart = FindCommentStart(line);
            var content = (commentStart is { } c ? line[..c] : line);
            var stripped = content.Trim();

            if (stripped.Length == 0)
            {
                // A truly blank line may sit inside a multi-line value; a comment line is just skipped.
                if (commentStart is null && pending is not null) blankLinesInValue++;
                continue;
            }

            var indent = content.Length - content.TrimStart().Length;
            if (pending is not null && indent > keyIndent)
            {
                pending.AppendLine(stripped, new SourceLocation(file, lineNo, indent + 1), line, blankLinesInValue);
                blankLinesInValue = 0;
                continue;
            }

            Flush();
            blankLinesInValue = 0;
            keyIndent = indent;

            if (stripped[0] == '[')
            {
                var close = stripped.LastIndexOf(']');
                if (close < 0)
                {
                    diagnostics.Error(new SourceLocation(file, lineNo, indent + 1), null, null,
                        "section header is missing its closing ']'", line);
                    section = null;
                    continue;
                }
                var rawName = stripped[1..close];
                var name = rawName.Trim();
                var nameColumn = indent + 2 + (rawName.Length - rawName.TrimStart().Length);
                if (name.Length == 0)
                {
                    diagnostics.Error(new SourceLocation(file, lineNo, indent + 1), null, null, "empty section name", line);
                    section = null;
                    continue;
                }
                section = new IniSection(name, new SourceLocation(file, lineNo, nameColumn), line);
                sections.Add(section);
                if (close != stripped.Length - 1)
                    diagnostics.Warning(new SourceLocation(file, lineNo, indent + close + 2), name, null,
                        $"text after the section header is ignored: '{stripped[(close + 1)..].Trim()}'", line);
                continue;
            }

            var delimiter = content.IndexOfAny(['=', ':']);
            if (delimiter < 0)
            {
                diagnostics.Error(new SourceLocation(file, lineNo, indent + 1), section?.Name, null,
                    section is null && lineNo == FirstContentLine(lines)
                        ? "expected a [section] header before any key"
                        : "expected 'key = value' (or a [section] header)", line);
                continue;
            }

            var key = content[..delimiter].Trim().ToLowerInvariant();
            var keyLocation = new SourceLocation(file, lineNo, indent + 1);
            if (section is null)
            {
                diagnostics.Error(keyLocation, null, null, "expected a [section] header before any key", line);
                continue;
            }
            if (key.Length == 0)
            {
                diagnostics.Error(keyLocation, section.Name, null, "missing key name before the '" + content[delimiter] + "'", line);
                continue;
            }

            var valueStart = delimiter + 1;
            while (valueStart < content.Length && char.IsWhiteSpace(content[valueStart])) valueStart++;
            var value = content[valueStart..].TrimEnd();

            // ConfigParser with strict=False, as supervisord reads: the last setting wins, silently there; here with a warning.
            if (section.Entries.FindIndex(e => e.Key == key) is var firstIndex and >= 0)
            {
                diagnostics.Warning(keyLocation, section.Name, key,
                    $"duplicate key: this setting replaces the one at {section.Entries[firstIndex].KeyLocation}", line);
                section.Entries.RemoveAt(firstIndex);
            }
            pending = new PendingEntry(key, keyLocation, line, value, new SourceLocation(file, lineNo, valueStart + 1));
        }
        Flush();
        return sections;
    }

    private static int FirstContentLine(string[] lines)
    {
        for (var i = 0; i < lines.Length; i++)
        {
            var t = lines[i].Trim();
            if (t.Length > 0 && t[0] is not (';' or '#')) return i + 1;
        }
        return 0;
    }

    /// <summary>Index where a comment starts: a first non-blank ';'/'#', or one preceded by whitespace.</summary>
    internal static int? FindCommentStart(string line)
    {
        var trimmed = line.TrimStart();
        if (trimmed.Length > 0 && trimmed[0] is ';' or '#') return line.Length - trimmed.Length;
        for (var i = 1; i < line.Length; i++)
            if (line[i] is ';' or '#' && char.IsWhiteSpace(line[i - 1]))
                return i;
        return null;
    }

    /// <summary>A value being read. Most values fit on their key's line: those are built without a StringBuilder or a
    /// segment list, which made up most of what reading a 1000-program file allocated.</summary>
    private sealed class PendingEntry(string key, SourceLocation keyLocation, string lineText, string firstValue, SourceLocation valueLocation)
    {
        private StringBuilder? _value;
        private ImmutableArray<IniValueSegment>.Builder? _segments;

        public void AppendLine(string text, SourceLocation at, string physicalLine, int blankLinesBefore)
        {
            if (_value is null || _segments is null)
            {
                _value = new StringBuilder(firstValue);
                _segments = ImmutableArray.CreateBuilder<IniValueSegment>();
                _segments.Add(new IniValueSegment(valueLocation, 0, lineText));
            }
            _value.Append('\n', blankLinesBefore + 1);
            _segments.Add(new IniValueSegment(at, _value.Length, physicalLine));
            _value.Append(text);
        }

        public IniEntry Build()
        {
            if (_value is null || _segments is null)
                return new IniEntry(key, firstValue, keyLocation, [new IniValueSegment(valueLocation, 0, lineText)], lineText);
            // ConfigParser drops trailing blank lines of a multi-line value; a first line left empty
            // ("key =" then indented lines) yields a leading '\n', which ConfigParser keeps too.
            return new IniEntry(key, _value.ToString().TrimEnd(), keyLocation, _segments.ToImmutable(), lineText);
        }
    }
}
