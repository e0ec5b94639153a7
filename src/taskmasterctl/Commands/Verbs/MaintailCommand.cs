using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's maintail: the daemon's own log, <c>-f</c> to follow or <c>-N</c> bytes.</summary>
internal sealed class MaintailCommand : ICtlCommand
{
    public string Name => "maintail";

    public string Help => "maintail -f \tContinuous tail of taskmasterd main log file (Ctrl-C to exit)\nmaintail -100\tlast 100 *bytes* of taskmasterd main log file\nmaintail\tlast 1600 *bytes* of taskmasterd main log file";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 1) { ctx.Usage(this, "Error: too many arguments"); return; }
        var bytes = 1600L;
        var follow = false;
        if (args.Count == 1)
        {
            if (args[0] == "-f") follow = true;
            else if (!args[0].StartsWith('-') || !long.TryParse(args[0][1..], out bytes) || bytes < 0)
            {
                ctx.Output.Say($"Error: bad argument {args[0]}");
                ctx.Fail(ExitCodes.Error);
                return;
            }
        }
        await LogFollower.ShowAsync(ctx, null, LogStream.Stdout, bytes, follow, "taskmasterd", ct);
    }
}
