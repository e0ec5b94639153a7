using Taskmaster.Control;
using Taskmaster.Names;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's avail: every configured process, in use or not, autostart, and its priorities.</summary>
internal sealed class AvailCommand : ICtlCommand
{
    public string Name => "avail";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "avail\t\t\tDisplay all configured processes";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: avail accepts no arguments"); return; }
        var programs = await ctx.Client.GetProgramsAsync(ct);
        ctx.Output.Result(programs, ControlJsonContext.Default.IReadOnlyListProgramInfo, list =>
        {
            foreach (var p in list)
                ctx.Output.Say($"{Namespec.Format(p.Group, p.Name),-32} {(p.InUse ? "in use" : "avail"),-9} {(p.Autostart ? "auto" : "manual"),-9} {p.GroupPriority}:{p.ProcessPriority}");
        });
    }
}
