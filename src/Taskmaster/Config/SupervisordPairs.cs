using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// How supervisord 4.2.5 reads <c>environment=</c> (its <c>dict_of_key_value_pairs</c>): Python's shlex in its
/// non-POSIX mode, with <c>/.+-():</c> added to the word characters, cut into <c>key = value</c> triples, each followed
/// by one separator token of any kind; quotes are stripped from both ends of a value. No escapes: a backslash is a
/// character of its own, and a quote inside a word is kept. Used so a value supervisord accepts means what it means
/// there, and one it refuses is recognised (<see cref="EnvironmentListParser"/>).
/// </summary>
internal static class SupervisordPairs
{
    private const string WordPunctuation = "_/.+-():";

    /// <summary>The pairs in file order (a repeated key keeps its first place, with the last value), or false where
    /// supervisord refuses the value.</summary>
    public static bool TryRead(string text, out List<KeyValuePair<string, string>> pairs)
    {
        pairs = [];
        if (Tokens(text) is not { } tokens) return false;
        for (var i = 0; i < tokens.Count; i += 4)
        {
            if (i + 2 >= tokens.Count || tokens[i + 1] != "=") return false;
            var (key, value) = (tokens[i], tokens[i + 2].Trim('\'', '"'));
            var existing = pairs.FindIndex(p => p.Key == key);
            if (existing >= 0) pairs[existing] = new(key, value);
            else pairs.Add(new(key, value));
        }
        return true;
    }

    private static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || WordPunctuation.Contains(c);

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>shlex's non-POSIX tokens, or null on an unclosed quote ("No closing quotation").</summary>
    private static List<string>? Tokens(string text)
    {
        var tokens = new List<string>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (IsSpace(c)) { i++; continue; }
            if (c == '#') { SkipLine(text, ref i); continue; }
            if (c is '"' or '\'')
            {
                var close = text.IndexOf(c, i + 1);
                if (close < 0) return null;
                tokens.Add(text[i..(close + 1)]);
                i = close + 1;
                continue;
            }
            if (!IsWordChar(c)) { tokens.Add(c.ToString()); i++; continue; }

            // A word goes on through word characters and quotes; a '#' inside it drops the rest of its line and the
            // word goes on at the next one (non-POSIX shlex stays in its word state there).
            var word = new StringBuilder();
            while (i < text.Length && !IsSpace(text[i]))
            {
                var d = text[i];
                if (d == '#') { SkipLine(text, ref i); continue; }
                if (!IsWordChar(d) && d is not ('"' or '\'')) break;
                word.Append(d);
                i++;
            }
            tokens.Add(word.ToString());
        }
        return tokens;
    }

    private static void SkipLine(string text, ref int i)
    {
        var newline = text.IndexOf('\n', i);
        i = newline < 0 ? text.Length : newline + 1;
    }
}
