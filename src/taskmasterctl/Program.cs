namespace Taskmaster.Ctl;

internal static class Program
{
    private static int Main(string[] args)
    {
        Console.Error.WriteLine("taskmasterctl: not implemented yet");
        return 1;
    }
}
