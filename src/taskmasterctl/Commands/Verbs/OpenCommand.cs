using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// supervisorctl's open: switches this session to another daemon, then shows its status. In a one-shot command that
/// only checks the daemon answers; it is mostly useful in the shell.
/// </summary>
internal sealed class OpenCommand : ICtlCommand
{
    public string Name => "open";

    public int UnreachableExit => ExitCodes.Success;

    public string Help => "open <url>\tConnect to a remote taskmasterd process.\n\t\t(for UNIX domain socket, use unix:///socket/path)";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count != 1 || !(args[0].StartsWith("unix://", StringComparison.Ordinal) || args[0].StartsWith("http://", StringComparison.Ordinal))
            || !ServerAddress.TryParse(args[0], out _))
        {
            ctx.Output.Say("ERROR: url must be http:// or unix://");
            ctx.Fail(ExitCodes.Error);
            return;
        }
        ctx.Reconnect(ctx.Settings with { ServerUrl = args[0] });
        // The status is shown for the person, not judged: its exit status (3 for a stopped process) is not open's.
        var previous = ctx.ExitStatus;
        await StatusCommand.ShowAsync(ctx, [], ct);
        ctx.ExitStatus = previous;
    }
}
