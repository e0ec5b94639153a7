using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>Taskmaster's own list: one line per program, its group, instances running/total, a state summary
/// (MIXED when the instances differ) and autostart.</summary>
internal sealed class ListCommand : ICtlCommand
{
    public string Name => "list";

    public string Help => "list\t\t\tList every program: group, instances running/total, state summary, autostart";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        if (args.Count > 0) { ctx.Usage(this, "Error: list accepts no arguments"); return; }
        var programs = await ctx.Client.GetProgramsAsync(ct);
        var processes = await ctx.Client.GetProcessesAsync(ct);
        ctx.Output.Result(programs, ControlJsonContext.Default.IReadOnlyListProgramInfo, list =>
        {
            foreach (var program in list.GroupBy(p => p.Program))
            {
                var instances = program.ToList();
                var live = instances.Select(i => processes.FirstOrDefault(p => p.Group == i.Group && p.Name == i.Name)).ToList();
                var running = live.Count(p => p?.State == "RUNNING");
                var states = live.Select(p => p?.State ?? "AVAIL").Distinct().ToList();
                var summary = states.Count == 1 ? states[0] : "MIXED";
                var group = instances[0].Group;
                var label = group == program.Key ? program.Key : $"{program.Key} ({group})";
                ctx.Output.Say($"{label,-32} {running}/{instances.Count,-4} {ctx.Output.Style.State(summary, 9)} {(instances[0].Autostart ? "auto" : "manual")}");
            }
        });
    }
}
