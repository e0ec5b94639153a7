namespace Taskmaster.Ctl;

/// <summary>Where to find the daemon and how to talk to it, as resolved from options and the config file.</summary>
internal sealed record ServerSettings(string ServerUrl, string? Username, string? Password, string Prompt, string HistoryFile, string? ConfigFile);

/// <summary>
/// Resolves the server URL: <c>-s</c>, else <c>[taskmasterctl]</c>/<c>[supervisorctl] serverurl</c>, else the
/// config's <c>[unix_http_server] file</c>, else <c>unix:///tmp/taskmaster.sock</c>. It reads only those few keys
/// with a deliberately tiny INI reader, so the client does not depend on the full configuration loader (and
/// a config that the loader would reject still lets you reach a running daemon). Kept in this one class so it can
/// switch to <c>Taskmaster.Config.ConfigLoader</c> later without touching anything else.
/// </summary>
internal static class ServerLocator
{
    public const string DefaultSocket = "/tmp/taskmaster.sock";

    private static readonly string[] SearchOrder =
    [
        "taskmaster.conf", "/etc/taskmaster.conf", "supervisord.conf", "/etc/supervisord.conf", "/etc/supervisor/supervisord.conf",
    ];

    /// <summary>Throws <see cref="FileNotFoundException"/> when <c>-c</c> names a missing file.</summary>
    public static ServerSettings Resolve(CtlArguments args)
    {
        var configFile = args.ConfigFile;
        if (configFile is not null && !File.Exists(configFile))
            throw new FileNotFoundException($"could not find config file {configFile}", configFile);
        configFile ??= SearchOrder.Select(p => Path.GetFullPath(p)).FirstOrDefault(File.Exists);

        var ini = configFile is null ? new Dictionary<string, Dictionary<string, string>>() : ReadIni(configFile);
        string? Get(string section, string key) =>
            ini.TryGetValue(section, out var s) && s.TryGetValue(key, out var v) ? v : null;
        string? Ctl(string key) => Get("taskmasterctl", key) ?? Get("supervisorctl", key);

        var url = args.ServerUrl ?? Ctl("serverurl");
        if (url is null)
        {
            var file = Get("unix_http_server", "file");
            url = file is not null ? "unix://" + file
                : Get("inet_http_server", "port") is { } port && !ini.ContainsKey("unix_http_server") ? "http://" + LocalPort(port)
                : "unix://" + DefaultSocket;
        }
        var history = Ctl("history_file") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".taskmasterctl_history");
        return new ServerSettings(
            url,
            args.Username ?? Ctl("username"),
            args.Password ?? Ctl("password"),
            Ctl("prompt") ?? "taskmaster",
            history,
            configFile);
    }

    private static string LocalPort(string port) =>
        port.StartsWith(':') || port.StartsWith("*:", StringComparison.Ordinal) || !port.Contains(':')
            ? "localhost:" + port[(port.LastIndexOf(':') + 1)..]
            : port;

    /// <summary>Sections and keys (lower-case) with inline comments stripped and <c>%(here)s</c>/<c>%(ENV_X)s</c> expanded.</summary>
    internal static Dictionary<string, Dictionary<string, string>> ReadIni(string path)
    {
        var here = Path.GetDirectoryName(Path.GetFullPath(path)) ?? "/";
        var result = new Dictionary<string, Dictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        Dictionary<string, string>? section = null;
        foreach (var raw in File.ReadLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] is ';' or '#') continue;
            if (line[0] == '[' && line.EndsWith(']'))
            {
                var name = line[1..^1].Trim();
                if (!result.TryGetValue(name, out section))
                    result[name] = section = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
                continue;
            }
            if (section is null) continue;
            var sep = line.IndexOfAny(['=', ':']);
            if (sep <= 0) continue;
            var key = line[..sep].Trim();
            var value = StripInlineComment(line[(sep + 1)..]).Trim();
            section[key] = Expand(value, here);
        }
        return result;
    }

    private static string StripInlineComment(string value)
    {
        for (var i = 1; i < value.Length; i++)
            if (value[i] is ';' or '#' && char.IsWhiteSpace(value[i - 1])) return value[..i];
        return value;
    }

    private static string Expand(string value, string here)
    {
        value = value.Replace("%(here)s", here, StringComparison.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            var token = $"%(ENV_{e.Key})s";
            if (value.Contains(token, StringComparison.Ordinal)) value = value.Replace(token, e.Value?.ToString() ?? "", StringComparison.Ordinal);
        }
        return value;
    }
}
