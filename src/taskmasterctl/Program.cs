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
        Task<string?> fullCheck;
        try
        {
            settings = ServerLocator.Resolve(parsed, out fullCheck);
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
        using var processor = new CommandProcessor(settings, parsed.Json, Console.Out, TerminalStyle.Detect())
        {
            Interactive = interactive,
        };
        if (!interactive)
        {
            await processor.ExecuteAsync(string.Join(' ', parsed.Command));
            await ReportConfigProblems(fullCheck);
            return processor.ExitStatus;
        }
        await ReportConfigProblems(fullCheck);
        using var shell = new InteractiveShell(processor);
        if (parsed.Command.Count > 0) await processor.ExecuteAsync(string.Join(' ', parsed.Command));
        await shell.RunAsync(showStatus: parsed.Command.Count == 0);
        return ExitCodes.Success; // supervisorctl's shell always exits 0
    }

    /// <summary>Errors elsewhere in the config than its control sections: shown, never fatal for the client.</summary>
    private static async Task ReportConfigProblems(Task<string?> fullCheck)
    {
        if (await fullCheck is { } problems)
            Console.Error.WriteLine(problems);
    }
}
