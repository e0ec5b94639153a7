namespace Taskmaster.Daemon;

internal static class Program
{
    private static int Main(string[] args) =>
        DaemonCommandLine.Build(DaemonProgram.Run).Parse(args).Invoke();
}
