using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's stop: waits until each process is down. NOT_RUNNING is said but leaves the exit status alone.</summary>
internal sealed class StopCommand : ICtlCommand
{
    public string Name => "stop";

    public string Help => "stop <name>\t\tStop a process\nstop <gname>:*\t\tStop all processes in a group\nstop <name> <name>\tStop multiple processes or groups\nstop all\t\tStop all processes";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0) { ctx.Usage(this, "Error: stop requires a process name"); return; }
        var response = await ctx.Client.StopAsync(names, wait: true, ct);
        ProcessResults.Report(ctx, response, "stopped", ErrorCode.NotRunning, ExitCodes.Error);
    }
}
