using Taskmaster.Control;
using Taskmaster.Names;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// supervisorctl's status: the <c>%-33s%-10s%s</c> table of the named processes (all by default). Unknown names are
/// said first; the exit status is 4 for an unknown name, and 3 when a listed process is not running.
/// </summary>
internal sealed class StatusCommand : ICtlCommand
{
    public string Name => "status";

    public int UnreachableExit => ExitCodes.Unreachable;

    public string Help => "status <name>\t\tGet status for a single process\nstatus <gname>:*\tGet status for all processes in a group\nstatus <name> <name>\tGet status for multiple named processes\nstatus\t\t\tGet all process status info";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct) => ShowAsync(ctx, args, ct);

    /// <summary>The status of <paramref name="names"/> (all when empty); <c>open</c> shows it too.</summary>
    public static async Task ShowAsync(CtlContext ctx, IReadOnlyList<string> names, CancellationToken ct)
    {
        var all = await ctx.Client.GetProcessesAsync(ct);
        var matching = new List<ProcessInfo>();
        if (names.Count == 0 || names.Contains("all"))
        {
            matching.AddRange(all);
        }
        else
        {
            foreach (var name in names)
            {
                var spec = Namespec.Parse(name);
                var found = all.Where(p => spec.Selects(p.Group, p.Name)).ToList();
                if (found.Count == 0)
                {
                    ctx.Output.Text(spec.Scope == NameScope.Group ? $"{spec.Group}: ERROR ({FaultTable.NoSuchGroup})" : $"{name}: ERROR (no such process)");
                    ctx.Fail(ExitCodes.Unreachable); // supervisorctl's LSB "unknown" status, also 4
                }
                matching.AddRange(found);
            }
        }
        ctx.Output.Result<IReadOnlyList<ProcessInfo>>(matching, ControlJsonContext.Default.IReadOnlyListProcessInfo, list => Print(ctx, list));
        if (matching.Any(p => p.State is "STOPPED" or "EXITED" or "FATAL" or "UNKNOWN"))
            ctx.Fail(ExitCodes.StatusNotRunning);
    }

    private static void Print(CtlContext ctx, IReadOnlyList<ProcessInfo> processes)
    {
        var width = Math.Max(30, processes.Select(p => p.FullName.Length).DefaultIfEmpty(0).Max()) + 3;
        foreach (var p in processes)
            ctx.Output.Say($"{p.FullName.PadRight(width)}{ctx.Output.Style.State(p.State, 10)}{p.Description}".TrimEnd());
    }
}
