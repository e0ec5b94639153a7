using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's version: the daemon's version.</summary>
internal sealed class VersionCommand : ICtlCommand
{
    public string Name => "version";

    public string Help => "version\t\t\tShow the version of the remote taskmasterd process";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: version accepts no arguments"); return; }
        var version = await ctx.Client.GetVersionAsync(ct);
        ctx.Output.Result(version, ControlJsonContext.Default.VersionResponse, v => ctx.Output.Say(v.Version));
    }
}
