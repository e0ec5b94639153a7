using Taskmaster.Ctl.Commands;

namespace Taskmaster.Ctl.Shell;

/// <summary>
/// The <c>taskmaster&gt; </c> shell: prints status, then reads commands until quit/exit or Ctrl-D. Each command
/// uses fresh connections, so the shell keeps working across a daemon restart. reload/shutdown ask first, and
/// a server that requires credentials nobody gave gets them asked for.
/// </summary>
internal sealed class InteractiveShell : IDisposable
{
    private readonly CommandProcessor _processor;
    private readonly CtlContext _context;
    private readonly ILineReader _reader;

    public InteractiveShell(CommandProcessor processor, CtlContext context)
    {
        _processor = processor;
        _context = context;
        // The client of the moment: open and a login replace it.
        var completer = new ShellCompleter(async ct =>
            (await context.Client.GetProcessesAsync(ct)).Select(p => (p.Group, p.FullName)).ToList());
        _reader = (ILineReader?)LibEditLineReader.TryCreate(context.Settings.HistoryFile, completer) ?? new PlainLineReader();
        context.Ask = question => _reader.ReadLine(question, remember: false);
        context.AskCredentials = AskCredentials;
    }

    /// <summary>supervisorctl's prompts after a 401: the username in the clear, the password without echo.</summary>
    private (string Username, string Password)? AskCredentials()
    {
        var username = _reader.ReadLine("Username:", remember: false);
        if (username is null) return null;
        var password = PasswordReader.ReadHidden("Password:");
        return password is null ? null : (username, password);
    }

    public async Task RunAsync(bool showStatus)
    {
        if (showStatus) await _processor.ExecuteLineAsync("status");
        var prompt = _context.Settings.Prompt + "> ";
        while (true)
        {
            var line = _reader.ReadLine(prompt);
            if (line is null)
            {
                Console.WriteLine();
                return;
            }
            if (!await _processor.ExecuteLineAsync(line)) return;
        }
    }

    public void Dispose() => _reader.Dispose();
}
