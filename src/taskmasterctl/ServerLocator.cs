using Taskmaster.Config;

namespace Taskmaster.Ctl;

/// <summary>Where to find the daemon and how to talk to it, as resolved from options and the config file.</summary>
internal sealed record ServerSettings(string ServerUrl, string? Username, string? Password, string Prompt, string HistoryFile, string? ConfigFile);

/// <summary>
/// Resolves the server URL: <c>-s</c>, else <c>[taskmasterctl]</c>/<c>[supervisorctl] serverurl</c>, else the
/// config's <c>[unix_http_server] file</c>, else its <c>[inet_http_server] port</c>, else
/// <c>unix:///tmp/taskmaster.sock</c>. The config is read by the daemon's own <see cref="ConfigLoader"/>, found in
/// the order of <see cref="ConfigLocator"/>, so both sides agree on every expansion and default.
/// A config with errors (typically one being edited while the daemon still runs the previous one) must not lock
/// the user out: its control sections alone are loaded again, and the errors are printed on stderr.
/// </summary>
internal static class ServerLocator
{
    public const string DefaultSocket = "/tmp/taskmaster.sock";

    private static readonly HashSet<string> ControlSections =
        new(["unix_http_server", "inet_http_server", "taskmasterctl", "supervisorctl"], StringComparer.Ordinal);

    /// <summary>
    /// Throws <see cref="FileNotFoundException"/> when <c>-c</c> names a missing file and <see cref="ConfigException"/>
    /// when even the control sections do not load. <paramref name="warnings"/> receives the errors of a config that
    /// only partly loaded.
    /// </summary>
    public static ServerSettings Resolve(CtlArguments args, TextWriter warnings)
    {
        string? configFile;
        try { configFile = ConfigLocator.Find(args.ConfigFile, Environment.CurrentDirectory); }
        catch (FileNotFoundException) when (args.ConfigFile is null) { configFile = null; } // no config: defaults

        var config = configFile is null ? null : LoadLeniently(configFile, warnings);
        var ctl = config?.Ctl ?? new CtlSettings();
        var url = args.ServerUrl ?? ctl.ServerUrl ?? DefaultUrl(config);
        var history = ctl.HistoryFile
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".taskmasterctl_history");
        return new ServerSettings(url, args.Username ?? ctl.Username, args.Password ?? ctl.Password, ctl.Prompt, history, configFile);
    }

    private static string DefaultUrl(SupervisorConfig? config) => config switch
    {
        { UnixHttpServer: { } unix } => "unix://" + unix.File,
        { InetHttpServer: { } inet } => $"http://{(inet.Host is "" or "*" ? "localhost" : inet.Host)}:{inet.Port}",
        _ => "unix://" + DefaultSocket,
    };

    private static SupervisorConfig LoadLeniently(string path, TextWriter warnings)
    {
        try
        {
            return ConfigLoader.Load(path);
        }
        catch (ConfigException full)
        {
            // Only the sections that say where the daemon listens; if they are fine, the client can still work.
            var controlOnly = ControlSectionsOf(File.ReadAllText(path));
            var config = ConfigLoader.LoadText(controlOnly, path); // throws its own (smaller) ConfigException
            warnings.WriteLine($"taskmasterctl: {path} has errors (taskmasterd would refuse it); using its control sections:");
            warnings.WriteLine(full.Message);
            return config;
        }
    }

    /// <summary>
    /// The text of the [unix_http_server], [inet_http_server] and [*ctl] sections, other lines blanked so that line
    /// numbers in any error still match the file.
    /// </summary>
    internal static string ControlSectionsOf(string text)
    {
        var lines = text.Split('\n');
        var keep = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var trimmed = lines[i].TrimStart();
            if (trimmed.StartsWith('[') && trimmed.IndexOf(']') is var close and > 0)
                keep = ControlSections.Contains(trimmed[1..close].Trim());
            if (!keep) lines[i] = "";
        }
        return string.Join('\n', lines);
    }
}
