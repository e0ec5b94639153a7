using System.Collections.Immutable;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// Decides how a command runs. Without shell syntax it is split into words exactly as a POSIX
/// shell would split it (single quotes literal, double quotes with \ escaping only <c>$ ` " \</c>
/// and newline, backslash escaping any character outside quotes) and executed directly, so the
/// supervised pid is the program itself. With shell syntax outside quotes (pipes, redirections,
/// <c>; &amp; ( )</c>, <c>$</c> and backquotes even inside double quotes, globs <c>* ? [</c>, a
/// leading <c>~</c> or <c>#</c>, newlines, a <c>NAME=value</c> prefix, or a shell keyword/builtin
/// as first word) it runs as <c>/bin/sh -c raw</c>, which keeps its meaning intact.
/// </summary>
public static class CommandLineSplitter
{
    private static readonly string[] ShellWords =
    [
        "if", "then", "else", "elif", "fi", "for", "while", "until", "do", "done", "case", "esac", "{", "}", "!",
        "exec", "cd", ".", "source", "export", "set", "unset", "ulimit", "umask", "eval", "trap", "alias", ":",
        "wait", "read", "shift", "local", "return", "exit", "command", "builtin", "type", "times",
    ];

    /// <summary>Splits <paramref name="raw"/>, or explains why it cannot run (empty, unterminated quote).</summary>
    public static bool TrySplit(string raw, out CommandLine command, out string error, out int errorOffset)
    {
        command = new CommandLine(raw, [], false);
        error = "";
        errorOffset = 0;
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        var needsShell = false;
        var i = 0;
        while (i < raw.Length)
        {
            var c = raw[i];
            if (c is ' ' or '\t')
            {
                if (inWord) { words.Add(word.ToString()); word.Clear(); inWord = false; }
                i++;
                continue;
            }
            var atWordStart = !inWord;
            switch (c)
            {
                case '\'':
                {
                    var end = raw.IndexOf('\'', i + 1);
                    if (end < 0) return Fail("unterminated single quote", i, out error, out errorOffset);
                    word.Append(raw, i + 1, end - i - 1);
                    i = end + 1;
                    inWord = true;
                    continue;
                }
                case '"':
                {
                    i++;
                    var closed = false;
                    while (i < raw.Length)
                    {
                        var d = raw[i];
                        if (d == '"') { closed = true; i++; break; }
                        if (d is '$' or '`') needsShell = true;
                        if (d == '\\' && i + 1 < raw.Length && raw[i + 1] is '$' or '`' or '"' or '\\' or '\n')
                        {
                            if (raw[i + 1] != '\n') word.Append(raw[i + 1]);
                            i += 2;
                            continue;
                        }
                        word.Append(d);
                        i++;
                    }
                    if (!closed) return Fail("unterminated double quote", raw.LastIndexOf('"'), out error, out errorOffset);
                    inWord = true;
                    continue;
                }
                case '\\':
                    if (i + 1 >= raw.Length) return Fail("trailing backslash escapes nothing", i, out error, out errorOffset);
                    if (raw[i + 1] != '\n') { word.Append(raw[i + 1]); inWord = true; }
                    i += 2;
                    continue;
                case '|' or '&' or ';' or '<' or '>' or '(' or ')' or '$' or '`' or '*' or '?' or '[' or '\n' or '\r':
                    needsShell = true;
                    break;
                case '~' or '#' when atWordStart:
                    needsShell = true;
                    break;
                case '=' when words.Count == 0 && IsAssignmentName(word):
                    needsShell = true;
                    break;
            }
            word.Append(c);
            inWord = true;
            i++;
        }
        if (inWord) words.Add(word.ToString());

        if (raw.Trim().Length == 0 || (words.Count == 0 && !needsShell))
            return Fail("the command is empty", 0, out error, out errorOffset);
        if (!needsShell && ShellWords.Contains(words[0])) needsShell = true;

        command = needsShell
            ? new CommandLine(raw, ["/bin/sh", "-c", raw], true)
            : new CommandLine(raw, [.. words], false);
        return true;
    }

    // Only a quote-free NAME before '=' makes "NAME=value cmd" an assignment, as in the shell.
    private static bool IsAssignmentName(StringBuilder word)
    {
        if (word.Length == 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_')) return false;
        for (var k = 0; k < word.Length; k++)
            if (!(char.IsAsciiLetterOrDigit(word[k]) || word[k] == '_')) return false;
        return true;
    }

    private static bool Fail(string message, int offset, out string error, out int errorOffset)
    {
        error = message;
        errorOffset = Math.Max(0, offset);
        return false;
    }
}
