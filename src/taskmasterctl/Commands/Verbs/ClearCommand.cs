namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's clear: empties the named processes' log files.</summary>
internal sealed class ClearCommand : ICtlCommand
{
    public string Name => "clear";

    public string Help => "clear <name>\t\tClear a process' log files.\nclear <name> <name>\tClear multiple process' log files\nclear all\t\tClear all process' log files";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0) { ctx.Usage(this, "Error: clear requires a process name"); return; }
        var response = await ctx.Client.ClearAsync(names, ct);
        ProcessResults.Report(ctx, response, "cleared", null, ExitCodes.Error);
    }
}
