// Turns argv[0] into the file posix_spawn will execute, the way supervisord does, so a bad command is
// reported with supervisord's wording before any process exists.
//
// The lookup uses the CHILD's PATH (its configured environment), not the daemon's: a program must find
// the same binary whether taskmasterd was started from a login shell or from init. Like supervisord,
// the first PATH entry where the name exists wins, even when that entry turns out to be a directory or
// not executable: the error then names it, which is more useful than silently running another binary.
using Taskmaster.Posix;

namespace Taskmaster.Spawning;

/// <summary>Resolves a command name against a PATH and checks that it can be executed.</summary>
public static class CommandResolver
{
    /// <summary>PATH used when the child's environment has none (or an empty one).</summary>
    public const string DefaultPath = "/usr/local/bin:/usr/bin:/bin";

    /// <summary>The PATH value of an environment, or <see cref="DefaultPath"/>.</summary>
    public static string PathOf(IEnumerable<KeyValuePair<string, string>> environment)
    {
        string? path = null;
        foreach (var (key, value) in environment)
            if (key == "PATH")
                path = value; // last one wins, like a shell's export would
        return string.IsNullOrEmpty(path) ? DefaultPath : path;
    }

    /// <summary>Finds <paramref name="command"/>: a name with a slash is taken as a path (relative ones against
    /// <paramref name="baseDirectory"/>, where the child will run), otherwise it is searched on <paramref name="path"/>.
    /// Returns the absolute file to execute, or the supervisord-worded reason it cannot be run.</summary>
    public static bool TryResolve(string command, string path, string baseDirectory,
        out string resolved, out string? error)
    {
        resolved = "";
        if (command.Length == 0)
        {
            error = "command is empty";
            return false;
        }

        string? found = null;
        if (command.Contains('/'))
        {
            var candidate = Path.GetFullPath(command, baseDirectory);
            if (Exists(candidate))
                found = candidate;
        }
        else
        {
            foreach (var dir in path.Split(':'))
            {
                // An empty PATH entry means the current directory (POSIX), i.e. the child's working directory.
                var candidate = Path.GetFullPath(Path.Join(dir.Length == 0 ? "." : dir, command), baseDirectory);
                if (Exists(candidate))
                {
                    found = candidate;
                    break;
                }
            }
        }

        if (found is null)
        {
            error = $"can't find command {PythonRepr(command)}";
            return false;
        }
        error = CheckExecutable(found, command.Contains('/') ? command : found);
        resolved = found;
        return error is null;
    }

    /// <summary>supervisord's checks on an existing file: not a directory, some execute bit, and executable by us.</summary>
    private static unsafe string? CheckExecutable(string file, string shownAs)
    {
        Files.StatxBuffer st;
        if (Files.Statx(Files.AT_FDCWD, file, 0, Files.STATX_MODE, &st) != 0)
            return $"can't find command {PythonRepr(shownAs)}";
        if ((st.Mode & Files.S_IFMT) == Files.S_IFDIR)
            return $"command at {PythonRepr(shownAs)} is a directory";
        if ((st.Mode & 0b001_001_001) == 0)
            return $"command at {PythonRepr(shownAs)} is not executable";
        if (Files.Access(file, Files.X_OK) != 0)
            return $"no permission to run command {PythonRepr(shownAs)}";
        return null;
    }

    private static unsafe bool Exists(string file)
    {
        Files.StatxBuffer st;
        return Files.Statx(Files.AT_FDCWD, file, 0, Files.STATX_MODE, &st) == 0;
    }

    /// <summary>Quotes like Python's <c>repr</c> of a str, because supervisord's messages use <c>%r</c>
    /// and scripts match on them: single quotes unless the text holds a single quote and no double quote.</summary>
    public static string PythonRepr(string text)
    {
        var quote = text.Contains('\'') && !text.Contains('"') ? '"' : '\'';
        var sb = new System.Text.StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\n': sb.Append(@"\n"); break;
                case '\r': sb.Append(@"\r"); break;
                case '\t': sb.Append(@"\t"); break;
                default:
                    if (c == quote) sb.Append('\\');
                    sb.Append(c);
                    break;
            }
        }
        return sb.Append(quote).ToString();
    }
}
