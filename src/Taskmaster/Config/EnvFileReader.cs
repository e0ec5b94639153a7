using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// <c>env_file</c> (systemd's <c>EnvironmentFile=</c>, the Go port's <c>envFiles</c>): a comma list of dotenv files,
/// relative to the config file's directory, read in order when the configuration is loaded (so every reread reads them
/// again); a later file wins over an earlier one, and <c>environment</c> over all of them. A path written with a
/// leading <c>-</c> may be missing, as in systemd. A problem inside a file is reported at its <c>file:line:col</c>.
/// </summary>
internal static class EnvFileReader
{
    public static bool TryRead(string text, InstanceScope at, out EnvFileSet value, out ValueError error)
    {
        value = EnvFileSet.None;
        error = default;
        var paths = ImmutableArray.CreateBuilder<string>();
        var variables = new List<KeyValuePair<string, string>>();
        var offset = 0;
        foreach (var part in text.Split(','))
        {
            var item = part.Trim();
            var itemOffset = offset + part.Length - part.TrimStart().Length;
            offset += part.Length + 1;
            if (item.Length == 0) continue;
            var optional = item.StartsWith('-');
            var written = optional ? item[1..].TrimStart() : item;
            if (written.Length == 0)
            {
                error = new ValueError("'-' needs a path after it (an optional file)", itemOffset);
                return false;
            }
            var path = Path.GetFullPath(Path.Combine(at.Here, written));
            paths.Add(optional ? "-" + path : path);
            string content;
            try
            {
                content = File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException && optional)
            {
                continue;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                var why = e is FileNotFoundException or DirectoryNotFoundException ? "no such file (write -path for an optional one)" : e.Message;
                error = new ValueError($"cannot read {path}: {why}", itemOffset);
                return false;
            }
            if (!EnvFileParser.TryParse(content, variables, out var problem))
            {
                at.ErrorAt(new SourceLocation(path, problem.Line, problem.Column), problem.LineText, problem.Message);
                return true; // reported where it is; the load fails with it
            }
        }
        // Later definitions win; what environment sets is not the file's to decide.
        var overridden = at.Config.Environment.Select(kv => kv.Key).ToHashSet(StringComparer.Ordinal);
        var resolved = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in variables) resolved[k] = v;
        value = new EnvFileSet(paths.ToImmutable(),
            [.. resolved.Where(kv => !overridden.Contains(kv.Key)).OrderBy(kv => kv.Key, StringComparer.Ordinal)]);
        return true;
    }
}
