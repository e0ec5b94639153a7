namespace Taskmaster.Ctl.Shell;

/// <summary>Reads one line from the user; null at end of input (Ctrl-D).</summary>
internal interface ILineReader : IDisposable
{
    /// <param name="remember">False for answers to questions (y/N), which do not belong in the history.</param>
    string? ReadLine(string prompt, bool remember = true);
}
