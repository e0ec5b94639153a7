using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's remove: takes stopped groups out of the active configuration.</summary>
internal sealed class RemoveCommand : ICtlCommand
{
    public string Name => "remove";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "remove <name> [...]\tRemoves process/group from active config";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.GroupName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        // supervisorctl removes each name it is given: none is nothing to do, said by nothing and exit 0, as there.
        if (names.Count == 0) return;
        var response = await ctx.Client.RemoveAsync(names, ct);
        ctx.Output.Json(response, ControlJsonContext.Default.GroupCommandResponse);
        foreach (var r in response.Results)
        {
            if (r.Ok) { ctx.Output.Text($"{r.Group}: removed process group"); continue; }
            ctx.Fail(r.Code ?? ErrorCode.Failed);
            ctx.Output.Text(r.Code switch
            {
                ErrorCode.StillRunning => $"ERROR: process/group still running: {r.Group}",
                ErrorCode.BadName => $"ERROR: no such process/group: {r.Group}",
                _ => $"ERROR: {r.Message ?? r.Error}",
            });
        }
    }
}
