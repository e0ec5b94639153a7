namespace Taskmaster.Ctl.Shell;

/// <summary>The fallback when libedit is absent or stdin is not a terminal: no editing, no history.</summary>
internal sealed class PlainLineReader : ILineReader
{
    public string? ReadLine(string prompt, bool remember = true)
    {
        Console.Write(prompt);
        Console.Out.Flush();
        return Console.ReadLine();
    }

    public void Dispose() { }
}
