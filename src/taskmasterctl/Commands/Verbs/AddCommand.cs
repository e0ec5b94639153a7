using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's add: activates groups the last reread found. An already active group is said but is
/// not a failure (exit 0), as in supervisorctl.</summary>
internal sealed class AddCommand : ICtlCommand
{
    public string Name => "add";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "add <name> [...]\tActivates any updates in config for process/group";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.GroupName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        // supervisorctl adds each name it is given: none is nothing to do, said by nothing and exit 0, as there.
        if (names.Count == 0) return;
        var response = await ctx.Client.AddAsync(names, ct);
        ctx.Output.Json(response, ControlJsonContext.Default.GroupCommandResponse);
        foreach (var r in response.Results)
        {
            if (r.Ok) { ctx.Output.Text($"{r.Group}: added process group"); continue; }
            var code = r.Code ?? ErrorCode.Failed;
            ctx.Fail(code, ignored: ErrorCode.AlreadyAdded);
            ctx.Output.Text(code switch
            {
                ErrorCode.AlreadyAdded => "ERROR: process group already active",
                ErrorCode.BadName => $"ERROR: no such process/group: {r.Group}",
                ErrorCode.ShutdownState => "ERROR: shutting down",
                _ => $"ERROR: {r.Message ?? r.Error}",
            });
        }
    }
}
