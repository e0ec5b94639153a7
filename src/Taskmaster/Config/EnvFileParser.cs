using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Reads a dotenv file (systemd's <c>EnvironmentFile=</c>, the Go port's <c>envFiles</c>): one <c>NAME=value</c> per
/// line, an optional <c>export </c> before the name, blank lines and <c>#</c> comments; a value is bare (trimmed, and
/// a <c>#</c> after whitespace starts a comment), in single quotes (taken literally) or in double quotes (<c>\n</c>,
/// <c>\t</c>, <c>\r</c>, <c>\"</c>, <c>\\</c> and <c>\$</c> are escapes); quoted values may span lines. Nothing is
/// expanded: <c>$HOME</c> stays those five characters, as systemd leaves it. A later line wins over an earlier one.
/// </summary>
internal static class EnvFileParser
{
    /// <summary>A problem at a place in the file: 1-based line and column, and that line's text.</summary>
    internal readonly record struct Problem(int Line, int Column, string LineText, string Message);

    public static bool TryParse(string text, List<KeyValuePair<string, string>> into, out Problem problem)
    {
        problem = default;
        var lines = text.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var at = SkipSpaces(line, 0);
            if (at == line.Length || line[at] == '#') continue;
            if (line.AsSpan(at).StartsWith("export ", StringComparison.Ordinal) || line.AsSpan(at).StartsWith("export\t", StringComparison.Ordinal))
                at = SkipSpaces(line, at + 7);
            var nameStart = at;
            while (at < line.Length && IsNameChar(line[at], at == nameStart)) at++;
            if (at == nameStart)
            {
                problem = new(i + 1, nameStart + 1, line, "expected a variable name (letters, digits, '_' or '.', not starting with a digit)");
                return false;
            }
            var name = line[nameStart..at];
            at = SkipSpaces(line, at);
            if (at == line.Length || line[at] != '=')
            {
                problem = new(i + 1, at + 1, line, $"expected '=' after {name}");
                return false;
            }
            at = SkipSpaces(line, at + 1);
            string value;
            if (at < line.Length && line[at] is '\'' or '"')
            {
                if (!TryQuoted(lines, ref i, ref at, out value, out problem)) return false;
                line = lines[i];
                var rest = SkipSpaces(line, at);
                if (rest < line.Length && line[rest] != '#')
                {
                    problem = new(i + 1, rest + 1, line, "unexpected text after the closing quote");
                    return false;
                }
            }
            else
            {
                var end = at;
                while (end < line.Length && !(line[end] == '#' && end > at && char.IsWhiteSpace(line[end - 1]))) end++;
                value = line[at..end].TrimEnd();
            }
            into.Add(new(name, value));
        }
        return true;
    }

    /// <summary>A quoted value starting at <paramref name="at"/>; on success <paramref name="line"/> and
    /// <paramref name="at"/> sit just after the closing quote.</summary>
    private static bool TryQuoted(string[] lines, ref int line, ref int at, out string value, out Problem problem)
    {
        var quote = lines[line][at];
        var (openLine, openColumn) = (line, at + 1);
        var value_ = new StringBuilder();
        at++;
        while (true)
        {
            var text = lines[line];
            while (at < text.Length)
            {
                var c = text[at];
                if (c == quote)
                {
                    at++;
                    value = value_.ToString();
                    problem = default;
                    return true;
                }
                if (c == '\\' && quote == '"' && at + 1 < text.Length)
                {
                    var next = text[at + 1];
                    value_.Append(next switch { 'n' => "\n", 't' => "\t", 'r' => "\r", '"' or '\\' or '$' => next.ToString(), _ => $"\\{next}" });
                    at += 2;
                    continue;
                }
                value_.Append(c);
                at++;
            }
            if (line + 1 >= lines.Length)
            {
                value = "";
                problem = new(openLine + 1, openColumn, lines[openLine], $"unterminated {(quote == '"' ? "double" : "single")}-quoted value");
                return false;
            }
            value_.Append('\n');
            line++;
            at = 0;
        }
    }

    private static int SkipSpaces(string line, int at)
    {
        while (at < line.Length && line[at] is ' ' or '\t') at++;
        return at;
    }

    private static bool IsNameChar(char c, bool first) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or '_' || !first && (c is (>= '0' and <= '9') or '.');
}
