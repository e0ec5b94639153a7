using Taskmaster.Config;
using Taskmaster.Logging;

namespace Taskmaster.Daemon;

/// <summary>What taskmasterd does once its flags are parsed: check, detach, or run in the foreground.</summary>
internal static class DaemonProgram
{
    public static int Run(DaemonOptions options, string[] args)
    {
        // A bad flag is a usage error, reported before anything is read; the file's own loglevel is checked by the binder.
        if (options.LogLevel is { } level && !ActivityLogLevels.TryParse(level, out _))
        {
            Console.Error.WriteLine($"taskmasterd: -e/--loglevel: '{level}' is not a log level (critical, error, warn, info, debug, trace or blather)");
            return DaemonCommandLine.ExitBadConfig;
        }

        // Like the file's logfile (Config/HostChecks): a directory that does not exist is refused now, not found missing
        // when the first line is written. supervisord refuses this flag the same way.
        if (options.Logfile is { } logfile
            && HostChecks.MissingLogDirectory(DaemonHostFacts.Instance, Path.GetFullPath(logfile, Environment.CurrentDirectory)) is { } problem)
        {
            Console.Error.WriteLine($"taskmasterd: -l/--logfile: {problem}");
            return DaemonCommandLine.ExitBadConfig;
        }

        string path;
        try
        {
            path = ConfigLocator.Find(options.ConfigPath, Environment.CurrentDirectory);
        }
        catch (FileNotFoundException e)
        {
            Console.Error.WriteLine($"taskmasterd: {e.Message}");
            return DaemonCommandLine.ExitBadConfig;
        }

        var source = new DaemonConfigSource(path, options, Environment.CurrentDirectory);
        SupervisorConfig config;
        try
        {
            config = source.Load();
        }
        catch (ConfigException e)
        {
            foreach (var error in e.Errors)
                Console.Error.WriteLine(error);
            Console.Error.WriteLine($"taskmasterd: {e.Errors.Length} error(s) in {path}");
            return DaemonCommandLine.ExitBadConfig;
        }

        if (options.Check)
        {
            EffectiveConfigPrinter.Print(config, Console.Out);
            return DaemonCommandLine.ExitOk;
        }

        if (!options.Nodaemon && !config.Daemon.Nodaemon && !Detacher.IsDetachedCopy)
        {
            // The detached copy logs its warnings to the activity log only; the person starting it sees them here.
            foreach (var warning in config.Warnings)
                Console.Error.WriteLine($"taskmasterd: warning: {warning.Headline}");
            return Detacher.Detach(args);
        }

        return new DaemonHost(source, config).RunAsync().GetAwaiter().GetResult();
    }
}
