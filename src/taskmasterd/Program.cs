namespace Taskmaster.Daemon;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("taskmasterd: not implemented yet");
        return 1;
    }
}
