using Taskmaster.Config;

namespace Taskmaster.Ctl;

/// <summary>Where to find the daemon and how to talk to it, as resolved from options and the config file.</summary>
internal sealed record ServerSettings(string ServerUrl, string? Username, string? Password, string Prompt, string HistoryFile, string? ConfigFile);

/// <summary>
/// Resolves the server URL: <c>-s</c>, else <c>[taskmasterctl]</c>/<c>[supervisorctl] serverurl</c>, else the
/// config's <c>[unix_http_server] file</c>, else its <c>[inet_http_server] port</c>, else
/// <c>unix:///tmp/taskmaster.sock</c>. The config is read by the daemon's own <see cref="ConfigLoader"/>, found in
/// the order of <see cref="ConfigLocator"/>, so both sides agree on every expansion and default.
/// Only the control sections are bound (binding a large file in full costs more than the request itself), so errors elsewhere
/// in the file (typically one being edited while the daemon still runs the previous version) never lock the user out;
/// <see cref="ProblemsOf"/> finds them when the caller wants to say so.
/// </summary>
internal static class ServerLocator
{
    public const string DefaultSocket = "/tmp/taskmaster.sock";

    /// <summary>
    /// Throws <see cref="FileNotFoundException"/> when <c>-c</c> names a missing file and <see cref="ConfigException"/>
    /// when the control sections do not load.
    /// </summary>
    public static ServerSettings Resolve(CtlArguments args)
    {
        string? configFile;
        try { configFile = ConfigLocator.Find(args.ConfigFile, Environment.CurrentDirectory); }
        catch (FileNotFoundException) when (args.ConfigFile is null) { configFile = null; } // no config: defaults

        var config = configFile is null ? null : ConfigLoader.LoadControlSections(configFile);
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

    /// <summary>The errors of the whole file (taskmasterd would refuse it) as one message, or null when it loads or
    /// there is no file.</summary>
    public static string? ProblemsOf(string? path)
    {
        if (path is null)
            return null;
        try
        {
            ConfigLoader.Load(path);
            return null;
        }
        catch (ConfigException e)
        {
            return $"taskmasterctl: {path} has errors (taskmasterd would refuse it); using its control sections:\n{e.Message}";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Net.Sockets.SocketException)
        {
            return null; // the file changed under us, or no host name: nothing reliable to say
        }
    }
}
