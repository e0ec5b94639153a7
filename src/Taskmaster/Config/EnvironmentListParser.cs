using System.Collections.Immutable;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Parses <c>environment = K=V,K2="v, 2"</c>. A value supervisord accepts reads exactly as supervisord reads it
/// (<see cref="SupervisordPairs"/>), so a file means the same thing under both. One it refuses is read by a plainer
/// rule, which accepts a few useful forms supervisord does not (<c>OPTS=a=b</c>, <c>E=</c>, <c>URL=http://h/?q</c>):
/// pairs separated by commas, whitespace and newlines around them ignored, a value quoted with ' or " may hold commas,
/// '=' and spaces (quotes are removed, nothing inside them is special); unquoted values run to the next comma or
/// whitespace. A backslash before a quote is refused as supervisord refuses it: it escapes nothing in either. A later
/// duplicate key replaces the earlier value in place.
/// </summary>
internal static class EnvironmentListParser
{
    public static bool TryParse(string text, out ImmutableArray<KeyValuePair<string, string>> pairs, out ValueError error)
    {
        pairs = [];
        error = default;
        if (SupervisordPairs.TryRead(text, out var asSupervisord))
        {
            pairs = [.. asSupervisord];
            return true;
        }
        var escapedQuote = EscapedQuote(text);
        if (escapedQuote >= 0)
        {
            error = new ValueError("supervisord refuses this value: a backslash does not escape a quote in environment=; "
                + "put the value in the other quote (D='with \"quote\"')", escapedQuote);
            return false;
        }
        return TryParsePlain(text, out pairs, out error);
    }

    private static bool TryParsePlain(string text, out ImmutableArray<KeyValuePair<string, string>> pairs, out ValueError error)
    {
        pairs = [];
        error = default;
        var result = new List<KeyValuePair<string, string>>();
        var i = 0;
        while (true)
        {
            SkipSpace(text, ref i);
            if (i >= text.Length) break;
            var keyStart = i;
            while (i < text.Length && text[i] != '=' && text[i] != ',' && !char.IsWhiteSpace(text[i]) && text[i] is not ('"' or '\'')) i++;
            var key = text[keyStart..i];
            if (key.Length == 0)
            {
                error = new ValueError("expected NAME=value", keyStart);
                return false;
            }
            SkipSpace(text, ref i);
            if (i >= text.Length || text[i] != '=')
            {
                error = new ValueError($"expected '=' after '{key}' (pairs look like NAME=value,NAME2=\"v, 2\")", Math.Min(i, Math.Max(0, text.Length - 1)));
                return false;
            }
            i++;
            SkipSpace(text, ref i);
            var value = new StringBuilder();
            while (i < text.Length && text[i] != ',' && !char.IsWhiteSpace(text[i]))
            {
                if (text[i] is '"' or '\'')
                {
                    var quote = text[i];
                    var end = text.IndexOf(quote, i + 1);
                    if (end < 0)
                    {
                        error = new ValueError($"unterminated {quote} quote in the value of {key}", i);
                        return false;
                    }
                    value.Append(text, i + 1, end - i - 1);
                    i = end + 1;
                }
                else value.Append(text[i++]);
            }
            var existing = result.FindIndex(p => p.Key == key);
            if (existing >= 0) result[existing] = new(key, value.ToString());
            else result.Add(new(key, value.ToString()));
            SkipSpace(text, ref i);
            if (i >= text.Length) break;
            if (text[i] != ',')
            {
                error = new ValueError($"expected ',' after the value of {key} (quote values that contain spaces)", i);
                return false;
            }
            i++;
        }
        pairs = [.. result];
        return true;
    }

    private static int EscapedQuote(string text)
    {
        for (var i = 1; i < text.Length; i++)
            if (text[i] is '"' or '\'' && text[i - 1] == '\\') return i - 1;
        return -1;
    }

    private static void SkipSpace(string text, ref int i)
    {
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
    }
}
