using System.CommandLine;

namespace Taskmaster.Daemon;

/// <summary>
/// taskmasterd's flags, spelled as supervisord's so existing unit files and scripts keep working.
/// </summary>
internal static class DaemonCommandLine
{
    public const int ExitOk = 0;
    public const int ExitError = 1;
    public const int ExitBadConfig = 2;

    public static RootCommand Build(Func<DaemonOptions, int> run)
    {
        var config = new Option<string?>("--configuration", "-c") { Description = "Configuration file (default: ./taskmaster.conf, /etc/taskmaster.conf, ./supervisord.conf, /etc/supervisord.conf, /etc/supervisor/supervisord.conf)", HelpName = "FILE" };
        var nodaemon = new Option<bool>("--nodaemon", "-n") { Description = "Stay in the foreground and log to stderr too" };
        var check = new Option<bool>("--check") { Description = "Validate the configuration, print the effective settings and exit" };
        var logfile = new Option<string?>("--logfile", "-l") { Description = "Activity log file (overrides [taskmasterd] logfile)", HelpName = "FILE" };
        var loglevel = new Option<string?>("--loglevel", "-e") { Description = "critical, error, warn, info, debug, trace or blather", HelpName = "LEVEL" };
        var pidfile = new Option<string?>("--pidfile", "-j") { Description = "Pid file (overrides [taskmasterd] pidfile)", HelpName = "FILE" };
        var directory = new Option<string?>("--directory", "-d") { Description = "Change to this directory when daemonizing", HelpName = "DIR" };
        var user = new Option<string?>("--user", "-u") { Description = "Run as this user (the daemon must start as root)", HelpName = "USER" };
        // Read by Program before parsing (InitRole.ShouldRun); declared here so it is accepted and documented.
        var noInit = new Option<bool>(InitRole.OptOutFlag) { Description = "As PID 1 (a container), do not start the daemon under a minimal init that reaps orphans and forwards signals" };

        var root = new RootCommand(
            "taskmasterd: starts the programs of a configuration file, keeps them alive and serves taskmasterctl.\n\n" +
            "Exit codes: 0 ok; 1 the daemon failed (socket in use, another daemon running, runtime error); " +
            "2 the configuration is invalid (every error is printed as file:line:col).")
        {
            config, nodaemon, check, logfile, loglevel, pidfile, directory, user, noInit,
        };
        root.SetAction(result => run(new DaemonOptions
        {
            ConfigPath = result.GetValue(config),
            Nodaemon = result.GetValue(nodaemon),
            Check = result.GetValue(check),
            Logfile = result.GetValue(logfile),
            LogLevel = result.GetValue(loglevel),
            Pidfile = result.GetValue(pidfile),
            Directory = result.GetValue(directory),
            User = result.GetValue(user),
        }));
        return root;
    }
}
