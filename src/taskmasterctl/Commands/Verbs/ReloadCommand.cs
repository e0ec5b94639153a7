using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's reload: the daemon stops everything and starts again from its file (asks first in the shell).</summary>
internal sealed class ReloadCommand : ICtlCommand
{
    public string Name => "reload";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "reload \t\tRestart the remote taskmasterd.";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: reload accepts no arguments"); return; }
        if (ctx.Interactive && !ctx.Confirm("Really restart the remote taskmasterd process y/N? ")) return;
        var response = await ctx.Client.ReloadAsync(ct);
        ctx.Output.Result(response, ControlJsonContext.Default.AcceptedResponse, _ => ctx.Output.Say("Restarted taskmasterd"));
    }
}
