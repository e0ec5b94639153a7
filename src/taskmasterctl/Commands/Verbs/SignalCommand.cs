using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's signal: a signal name (<c>HUP</c>, <c>SIGHUP</c>) or number, then process names.</summary>
internal sealed class SignalCommand : ICtlCommand
{
    public string Name => "signal";

    public string Help => "signal <signal name> <name>\t\tSignal a process\nsignal <signal name> <gname>:*\t\tSignal all processes in a group\nsignal <signal name> <name> <name>\tSignal multiple processes or groups\nsignal <signal name> all\t\tSignal all processes";

    public ArgumentKind ArgumentAt(int position) => position == 0 ? ArgumentKind.None : ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count < 2) { ctx.Usage(this, "Error: signal requires a signal name and a process name"); return; }
        var names = args.Skip(1).ToList();
        try
        {
            var response = await ctx.Client.SignalAsync(names, args[0], ct);
            ProcessResults.Report(ctx, response, "signalled", null, ExitCodes.Error);
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.BadSignal)
        {
            // The daemon refuses the whole request; supervisorctl says it per name.
            foreach (var name in names) ctx.Output.Say($"{name}: ERROR ({FaultTable.Reason(ErrorCode.BadSignal, null, null)})");
            ctx.Fail(ErrorCode.BadSignal);
        }
    }
}
