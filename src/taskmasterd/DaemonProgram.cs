namespace Taskmaster.Daemon;

/// <summary>What taskmasterd does once its flags are parsed: check, detach, or run in the foreground.</summary>
internal static class DaemonProgram
{
    public static int Run(DaemonOptions options)
    {
        Console.Error.WriteLine("taskmasterd: not wired yet");
        return DaemonCommandLine.ExitError;
    }
}
