using Taskmaster.Control;
using Taskmaster.Names;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// The dependency graph as the daemon runs it: each process that waits for others (<c>depends_on</c>), its edges,
/// and where its start stands (waiting for one, or refused because one failed). <c>--json</c> gives those processes'
/// records, whose <c>dependsOn</c>, <c>waitingFor</c> and <c>dependencyFailure</c> fields hold the same.
/// </summary>
internal sealed class DepsCommand : ICtlCommand
{
    public string Name => "deps";

    public string Help => "deps\t\t\tShow what each process waits for before it starts (depends_on).\n" +
        "deps <name> <name>\tShow it for the named processes only.";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        var all = await ctx.Client.GetProcessesAsync(ct);
        var specs = names.Where(n => n != "all").Select(Namespec.Parse).ToList();
        IReadOnlyList<ProcessInfo> shown = [.. all.Where(p => p.DependsOn.Count > 0
            && (specs.Count == 0 || specs.Any(s => s.Designates(p.Group, p.Name))))];
        ctx.Output.Result(shown, ControlJsonContext.Default.IReadOnlyListProcessInfo, list =>
        {
            if (list.Count == 0)
            {
                ctx.Output.Say("no process waits for another (no depends_on)");
                return;
            }
            foreach (var p in list)
            {
                var standing = p.WaitingFor is { } waiting ? $"  [waiting for {waiting}]"
                    : p.DependencyFailure is { } failure ? $"  [not started: dependency {failure}]"
                    : "";
                ctx.Output.Say($"{p.FullName,-33}{p.State,-10}after {string.Join(", ", p.DependsOn)}{standing}");
            }
        });
    }
}
