using Taskmaster.Config;

namespace Taskmaster.Daemon;

/// <summary>What taskmasterd does once its flags are parsed: check, detach, or run in the foreground.</summary>
internal static class DaemonProgram
{
    public static int Run(DaemonOptions options)
    {
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

        SupervisorConfig config;
        try
        {
            config = ConfigLoader.Load(path);
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

        foreach (var warning in config.Warnings)
            Console.Error.WriteLine($"warning: {warning}");
        Console.Error.WriteLine("taskmasterd: not wired yet");
        return DaemonCommandLine.ExitError;
    }
}
