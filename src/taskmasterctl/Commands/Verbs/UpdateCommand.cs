using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's update: rereads and applies, per group (all, or the groups named): removed groups stop
/// and go, changed ones restart, new ones are added.</summary>
internal sealed class UpdateCommand : ICtlCommand
{
    public string Name => "update";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "update\t\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate all\t\tReload config and add/remove as necessary, and will restart affected programs\nupdate <gname> [...]\tUpdate specific groups";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.GroupName;

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        IReadOnlyList<string> groups = args.Contains("all") ? [] : args;
        try
        {
            var response = await ctx.Client.UpdateAsync(groups, ct);
            ctx.Output.Json(response, ControlJsonContext.Default.GroupCommandResponse);
            var saidStopped = response.Results.Where(r => r.Ok && r.Action == "stopped").Select(r => r.Group).ToHashSet();
            foreach (var r in response.Results)
            {
                if (!r.Ok) ctx.Fail(r.Code ?? ErrorCode.Failed);
                // supervisorctl always says "<group>: stopped" before "removed process group"; the daemon says it
                // only when it stopped a child, so scripts that look for the line get it either way, once.
                if (r.Ok && r.Action == "removed process group" && saidStopped.Add(r.Group)) ctx.Output.Text($"{r.Group}: stopped");
                ctx.Output.Text(r.Ok ? $"{r.Group}: {r.Action}"
                    : r.Code == ErrorCode.BadName ? $"ERROR: no such group: {r.Group}"
                    : r.Code == ErrorCode.CantReread ? RereadCommand.CantReread(r.Message)
                    : $"{r.Group}: {r.Message ?? r.Action}");
            }
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.CantReread)
        {
            ctx.Output.Say(RereadCommand.CantReread(e.Message));
            ctx.Fail(ErrorCode.CantReread);
        }
    }
}
