using System.Globalization;

namespace Taskmaster.Config;

/// <summary>How <c>taskmasterd --check</c> writes values: in the forms the file accepts, culture-invariant.</summary>
internal static class ValueFormat
{
    public static string Plain(object value) => value switch
    {
        bool b => Bool(b),
        string s => s,
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    public static string Bool(bool b) => b ? "true" : "false";

    public static string Octal(int n) => "0" + Convert.ToString(n, 8);

    /// <summary><c>K=V,K2="v, 2"</c>, as <c>environment=</c> reads it back.</summary>
    /// <summary><c>env_file</c>: the files, then how many variables they gave.</summary>
    public static string EnvFiles(EnvFileSet files) =>
        $"{string.Join(", ", files.Paths)}  ({files.Variables.Length} variable{(files.Variables.Length == 1 ? "" : "s")})";

    public static string Env(IEnumerable<KeyValuePair<string, string>> env) =>
        string.Join(",", env.Select(kv => $"{kv.Key}={Quote(kv.Value)}"));

    public static string Quote(string s) =>
        s.Length > 0 && s.All(c => !char.IsWhiteSpace(c) && c is not ('"' or ',' or '\'')) ? s : $"\"{s}\"";

    /// <summary>An AUTO log's random part is drawn by each daemon process, so <c>--check</c> shows it as <c>*</c>.</summary>
    public static string Target(LogTarget t) => t.Discards ? "NONE (discarded)"
        : $"{(t.IsAuto ? AutoPattern(t.Path!) + " (AUTO)" : t.Path)}, maxbytes {t.MaxBytes}, backups {t.Backups}";

    private static string AutoPattern(string path)
    {
        int dash = path.LastIndexOf('-');
        return dash < 0 ? path : path[..(dash + 1)] + "*.log";
    }
}
