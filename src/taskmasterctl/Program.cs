using Taskmaster.Ctl.Commands;
using Taskmaster.Ctl.Shell;

namespace Taskmaster.Ctl;

internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var parsed = CtlArguments.Parse(args, out var error);
        if (parsed is null)
        {
            Console.Error.WriteLine($"Error: {error}");
            Console.Error.WriteLine("For help, use taskmasterctl -h");
            return ExitCodes.BadArguments;
        }
        if (parsed.Help)
        {
            Console.WriteLine(CtlArguments.Usage);
            return ExitCodes.Success;
        }
        ServerSettings settings;
        try
        {
            settings = ServerLocator.Resolve(parsed);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"Error: {e.Message}");
            return ExitCodes.BadArguments;
        }
        catch (Taskmaster.Config.ConfigException e)
        {
            // Not even the control sections load: say exactly where, as taskmasterd --check would.
            Console.Error.WriteLine($"Error: cannot read the configuration to find taskmasterd:\n{e.Message}");
            return ExitCodes.BadArguments;
        }
        if (!Taskmaster.Control.ServerAddress.TryParse(settings.ServerUrl, out _))
        {
            Console.Error.WriteLine($"Error: bad server url {settings.ServerUrl}: use unix:///path or http://host:port");
            return ExitCodes.BadArguments;
        }

        var interactive = parsed.Command.Count == 0 || parsed.Interactive;
        using var context = new CtlContext(settings, new ResultWriter(Console.Out, parsed.Json, TerminalStyle.Detect()))
        {
            Interactive = interactive,
        };
        var processor = new CommandProcessor(context);
        if (!interactive)
        {
            await processor.ExecuteAsync(parsed.Command);
            return context.ExitStatus;
        }
        // A person at the shell hears once, before the first command, that the file on disk would not load (typically
        // one being edited while the daemon runs the previous version). One-shot commands leave that to taskmasterd
        // (reread, update, --check), as supervisorctl does: scripts calling `status` in a loop do not pay a whole-file
        // check each time (most of a one-shot call's time with a large file: docs/BENCHMARKS.md § Design costs).
        if (ServerLocator.ProblemsOf(settings.ConfigFile) is { } problems)
            Console.Error.WriteLine(problems);
        using var shell = new InteractiveShell(processor, context);
        if (parsed.Command.Count > 0) await processor.ExecuteAsync(parsed.Command);
        await shell.RunAsync(showStatus: parsed.Command.Count == 0);
        return ExitCodes.Success; // supervisorctl's shell always exits 0
    }
}
