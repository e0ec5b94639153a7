using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's restart is "stop, then start": both halves are reported, each with its own exit rules.</summary>
internal sealed class RestartCommand : ICtlCommand
{
    public string Name => "restart";

    public string Help => "restart <name>\t\tRestart a process\nrestart <gname>:*\tRestart all processes in a group\nrestart <name> <name>\tRestart multiple processes or groups\nrestart all\t\tRestart all processes\nNote: restart does not reread config files. For that, see reread and update.";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0) { ctx.Usage(this, "Error: restart requires a process name"); return; }
        var stopped = await ctx.Client.StopAsync(names, wait: true, ct);
        var started = await ctx.Client.StartAsync(names, wait: true, ct);
        if (ctx.Output.IsJson)
        {
            // One document for the whole command.
            ctx.Output.Json(new ProcessCommandResponse([.. stopped.Results, .. started.Results]), ControlJsonContext.Default.ProcessCommandResponse);
            ProcessResults.SetExitStatus(ctx, stopped, ErrorCode.NotRunning, ExitCodes.Error);
            ProcessResults.SetExitStatus(ctx, started, ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
            return;
        }
        ProcessResults.Report(ctx, stopped, "stopped", ErrorCode.NotRunning, ExitCodes.Error);
        ProcessResults.Report(ctx, started, "started", ErrorCode.AlreadyStarted, ExitCodes.BadArguments);
    }
}
