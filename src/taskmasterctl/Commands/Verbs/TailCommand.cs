using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's tail: <c>tail [-f|-N] name [stdout|stderr]</c>, the last 1600 bytes by default.</summary>
internal sealed class TailCommand : ICtlCommand
{
    public string Name => "tail";

    public string Help => "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count < 1) { ctx.Usage(this, "Error: too few arguments"); return; }
        if (args.Count > 3) { ctx.Usage(this, "Error: too many arguments"); return; }
        var list = args.ToList();
        string? modifier = list[0].StartsWith('-') ? list[0] : null;
        if (modifier is not null) list.RemoveAt(0);
        if (list.Count == 0) { ctx.Output.Say("Error: tail requires process name"); ctx.Fail(ExitCodes.Error); return; }
        var name = list[0];
        var channel = list.Count > 1 ? list[^1].ToLowerInvariant() : "stdout";
        if (channel is not ("stdout" or "stderr")) { ctx.Output.Say($"Error: bad channel '{channel}'"); ctx.Fail(ExitCodes.Error); return; }
        var stream = channel == "stdout" ? LogStream.Stdout : LogStream.Stderr;
        var bytes = 1600L;
        var follow = false;
        if (modifier is not null)
        {
            if (modifier == "-f") follow = true;
            else if (!long.TryParse(modifier[1..], out bytes) || bytes < 0) { ctx.Output.Say($"Error: bad argument {modifier}"); ctx.Fail(ExitCodes.Error); return; }
        }
        await LogFollower.ShowAsync(ctx, name, stream, bytes, follow, name, ct);
    }
}
