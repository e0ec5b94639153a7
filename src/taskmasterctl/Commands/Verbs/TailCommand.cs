using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's tail: <c>tail [-f|-N] name [stdout|stderr]</c>, the last 1600 bytes by default; and
/// <c>tail --since WHEN name [stdout|stderr]</c>, the lines of a stamped log from a time on (<see cref="LogSince"/>).</summary>
internal sealed class TailCommand : ICtlCommand
{
    public string Name => "tail";

    public string Help => "tail [-f] <name> [stdout|stderr] (default stdout)\nEx:\ntail -f <name>\t\tContinuous tail of named process stdout\n\t\t\tCtrl-C to exit.\ntail -100 <name>\tlast 100 *bytes* of process stdout\ntail <name> stderr\tlast 1600 *bytes* of process stderr\ntail --since 10m <name>\tlines stamped (log_timestamps) in the last 10 minutes\n\t\t\t(or since a time: --since 2026-12-06T05:30)";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count < 1) { ctx.Usage(this, "Error: too few arguments"); return; }
        if (args.Count > (args[0] == "--since" ? 4 : 3)) { ctx.Usage(this, "Error: too many arguments"); return; }
        var list = args.ToList();
        string? since = null;
        if (list.Count > 0 && (list[0] == "--since" || list[0].StartsWith("--since=", StringComparison.Ordinal)))
        {
            if (list[0] == "--since" && list.Count < 2) { ctx.Usage(this, "Error: --since needs a time"); return; }
            since = list[0] == "--since" ? list[1] : list[0]["--since=".Length..];
            list.RemoveRange(0, list[0] == "--since" ? 2 : 1);
            if (list.Count is < 1 or > 2) { ctx.Usage(this, "Error: tail --since WHEN <name> [stdout|stderr]"); return; }
        }
        string? modifier = list[0].StartsWith('-') ? list[0] : null;
        if (modifier is not null) list.RemoveAt(0);
        if (list.Count == 0) { ctx.Output.Say("Error: tail requires process name"); ctx.Fail(ExitCodes.Error); return; }
        var name = list[0];
        var channel = list.Count > 1 ? list[^1].ToLowerInvariant() : "stdout";
        if (channel is not ("stdout" or "stderr")) { ctx.Output.Say($"Error: bad channel '{channel}'"); ctx.Fail(ExitCodes.Error); return; }
        var stream = channel == "stdout" ? LogStream.Stdout : LogStream.Stderr;
        if (since is not null)
        {
            if (!LogSince.TryParseWhen(since, DateTimeOffset.Now, out var when))
            {
                ctx.Output.Say($"Error: bad time '{since}' (a date and time such as 2026-12-06T05:30:00, or a span such as 90s, 10m, 2h)");
                ctx.Fail(ExitCodes.BadArguments);
                return;
            }
            try { await LogSince.ShowAsync(ctx, name, stream, when, ct); }
            catch (ControlApiException e) when (LogFollower.IsReadRefusal(e)) { LogFollower.SayReadRefusal(ctx, name, e); }
            return;
        }
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
