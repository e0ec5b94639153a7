using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's shutdown (asks first in the shell). A daemon that cannot be reached is taken as already
/// gone: a generic failure (1), where every other command says it cannot reach the daemon (4).</summary>
internal sealed class ShutdownCommand : ICtlCommand
{
    public string Name => "shutdown";

    public string Help => "shutdown \tShut the remote taskmasterd down.";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: shutdown accepts no arguments"); return; }
        if (ctx.Interactive && !ctx.Confirm("Really shut the remote taskmasterd process down y/N? ")) return;
        try
        {
            var response = await ctx.Client.ShutdownAsync(ct);
            ctx.Output.Result(response, ControlJsonContext.Default.AcceptedResponse, _ => ctx.Output.Say("Shut down"));
        }
        catch (ControlUnreachableException e)
        {
            ctx.Output.Say($"ERROR: {e.Message} (already shut down?)");
            ctx.Fail(ExitCodes.Error);
        }
    }
}
