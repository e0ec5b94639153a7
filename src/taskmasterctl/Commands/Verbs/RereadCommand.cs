using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's reread: what changed in the file, per group (<c>web: changed</c>), without applying it.</summary>
internal sealed class RereadCommand : ICtlCommand
{
    public string Name => "reread";

    public int UnreachableExit => ExitCodes.Error;

    public string Help => "reread \t\t\tReload the daemon's configuration files without add/remove";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: reread accepts no arguments"); return; }
        try
        {
            var changes = await ctx.Client.RereadAsync(ct);
            ctx.Output.Result(changes, ControlJsonContext.Default.RereadResponse, c => Print(ctx, c));
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.CantReread)
        {
            ctx.Output.Say(CantReread(e.Message));
            ctx.Fail(ErrorCode.CantReread);
        }
    }

    private static void Print(CtlContext ctx, RereadResponse changes)
    {
        var lines = changes.Added.Select(n => (n, "available"))
            .Concat(changes.Changed.Select(n => (n, "changed")))
            .Concat(changes.Removed.Select(n => (n, "disappeared")))
            .OrderBy(x => x.n, StringComparer.Ordinal).ToList();
        if (lines.Count == 0) ctx.Output.Say("No config updates to processes");
        foreach (var (name, what) in lines) ctx.Output.Say($"{name}: {what}");
        // Not a group line (scripts parse those): the daemon itself must be restarted for these to apply.
        foreach (var sentence in changes.RestartRequired ?? []) ctx.Output.Say($"WARNING: {sentence}");
    }

    /// <summary>supervisorctl prints the fault string of CANT_REREAD, which opens with the fault's name; update too.</summary>
    public static string CantReread(string? errors) => $"ERROR: CANT_REREAD: {errors}";
}
