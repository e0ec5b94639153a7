using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Splits <c>command=</c> into words exactly as supervisord does: Python's <c>shlex.split</c> in POSIX mode,
/// without comments. Whitespace (space, tab, CR, LF) separates words; single quotes keep everything literal;
/// inside double quotes a backslash escapes only <c>"</c> and <c>\</c> (before anything else it stays);
/// outside quotes a backslash keeps the next character, whatever it is; <c>''</c> is an empty word. Nothing
/// else is special: <c>; | &amp; $ ` * ? [ ~ #</c> are ordinary characters and there is never a shell
/// (DESIGN §1). <see cref="ShellLookalike"/> finds what looks like it was written for one, for a warning.
/// </summary>
public static class CommandLineSplitter
{
    /// <summary>Splits <paramref name="raw"/>, or explains why it cannot run (empty, an open quote, a final backslash).</summary>
    public static bool TrySplit(string raw, out CommandLine command, out string error, out int errorOffset)
    {
        command = new CommandLine(raw, []);
        if (!TrySplitWords(raw, out var words, out error, out errorOffset))
            return false;
        if (words.Count == 0)
            return Fail("the command is empty", 0, out error, out errorOffset);
        command = new CommandLine(raw, [.. words.Select(w => w.Text)]);
        return true;
    }

    /// <summary>
    /// What in <paramref name="raw"/> looks written for a shell, outside quotes (a pipe, a command list, a
    /// redirection, a variable or command substitution, a glob, <c>~</c>), or null. The command still runs
    /// without a shell; this only feeds <c>--check</c>'s warning.
    /// </summary>
    public static string? ShellLookalike(string raw)
    {
        if (!TrySplitWords(raw, out var words, out _, out _))
            return null;
        foreach (var (_, bare) in words)
        {
            if (bare is "|" or "||" or "&&" or ";" or "&" || bare.Contains("&&") || bare.Contains("||") || bare.Contains('|'))
                return "a pipe or a command list";
            if (bare.EndsWith(';') || bare.StartsWith(';'))
                return "a command list (';')";
            if (bare.StartsWith('>') || bare.StartsWith('<') || (bare.Length > 1 && char.IsAsciiDigit(bare[0]) && bare[1] == '>'))
                return "a redirection";
            for (var i = 0; i < bare.Length; i++)
                if ((bare[i] == '$' && i + 1 < bare.Length && (char.IsAsciiLetter(bare[i + 1]) || bare[i + 1] is '_' or '{' or '(')) || bare[i] == '`')
                    return "a variable or command substitution";
            if (bare.IndexOfAny(['*', '?', '[']) >= 0)
                return "a glob";
            if (bare.StartsWith('~'))
                return "a '~' for a home directory";
        }
        return null;
    }

    /// <summary>One word: its text, and the same text with every quoted or escaped character blanked to NUL
    /// (what a shell would have seen as syntax).</summary>
    private readonly record struct Word(string Text, string Bare);

    private static bool TrySplitWords(string raw, out List<Word> words, out string error, out int errorOffset)
    {
        var found = new List<Word>();
        words = found;
        error = "";
        errorOffset = 0;
        var text = new StringBuilder();
        var bare = new StringBuilder();
        var inWord = false; // a word has begun, even an empty quoted one
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            switch (c)
            {
                case ' ' or '\t' or '\r' or '\n':
                    if (inWord) End();
                    i++;
                    continue;
                case '\'':
                {
                    var close = raw.IndexOf('\'', i + 1);
                    if (close < 0) return Fail("can't parse command: No closing quotation", i, out error, out errorOffset);
                    Quoted(raw.AsSpan(i + 1, close - i - 1));
                    i = close + 1;
                    continue;
                }
                case '"':
                {
                    var open = i++;
                    while (true)
                    {
                        if (i >= raw.Length) return Fail("can't parse command: No closing quotation", open, out error, out errorOffset);
                        var d = raw[i];
                        if (d == '"') { i++; break; }
                        if (d == '\\' && i + 1 < raw.Length && raw[i + 1] is '"' or '\\')
                        {
                            Quoted(raw.AsSpan(i + 1, 1));
                            i += 2;
                            continue;
                        }
                        if (d == '\\' && i + 1 >= raw.Length)
                            return Fail("can't parse command: No closing quotation", open, out error, out errorOffset);
                        Quoted(raw.AsSpan(i, 1));
                        i++;
                    }
                    inWord = true;
                    continue;
                }
                case '\\':
                    if (i + 1 >= raw.Length) return Fail("can't parse command: No escaped character", i, out error, out errorOffset);
                    Quoted(raw.AsSpan(i + 1, 1));
                    i += 2;
                    continue;
                default:
                    text.Append(c);
                    bare.Append(c);
                    inWord = true;
                    i++;
                    continue;
            }
        }
        if (inWord) End();
        return true;

        void Quoted(ReadOnlySpan<char> chars)
        {
            text.Append(chars);
            bare.Append('\0', chars.Length);
            inWord = true;
        }

        void End()
        {
            found.Add(new Word(text.ToString(), bare.ToString()));
            text.Clear();
            bare.Clear();
            inWord = false;
        }
    }

    private static bool Fail(string message, int offset, out string error, out int errorOffset)
    {
        error = message;
        errorOffset = Math.Max(0, offset);
        return false;
    }
}
