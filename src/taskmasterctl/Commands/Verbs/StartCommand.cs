using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's start: waits until each process is RUNNING or has failed. ALREADY_STARTED is said but
/// leaves the exit status alone; an unknown group and a missing name are INVALID_ARGS (2), as scripts expect.</summary>
internal sealed class StartCommand : ICtlCommand
{
    public string Name => "start";

    public string Help => "start <name>\t\tStart a process\nstart <gname>:*\t\tStart all processes in a group\nstart <name> <name>\tStart multiple processes or groups\nstart all\t\tStart all processes";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0) { ctx.Usage(this, "Error: start requires a process name", ExitCodes.BadArguments); return; }
        var response = await ctx.Client.StartAsync(names, wait: true, ct);
        ProcessResults.Report(ctx, response, "started", ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
    }
}
