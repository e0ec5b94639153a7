using Taskmaster.Control;
using Taskmaster.Names;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>supervisorctl's pid: the daemon's pid, one process's (0 when not running, exit 7), or every process's.</summary>
internal sealed class PidCommand : ICtlCommand
{
    public string Name => "pid";

    public string Help => "pid\t\t\tGet the PID of taskmasterd.\npid <name>\t\tGet the PID of a single child process by name.\npid all\t\t\tGet the PID of every child process, one per line.";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0)
        {
            var version = await ctx.Client.GetVersionAsync(ct);
            ctx.Output.Result(version, ControlJsonContext.Default.VersionResponse, v => ctx.Output.Say(v.Pid.ToString()));
            return;
        }
        var all = await ctx.Client.GetProcessesAsync(ct);
        if (names.Contains("all"))
        {
            ctx.Output.Result(all, ControlJsonContext.Default.IReadOnlyListProcessInfo, list =>
            {
                foreach (var p in list) ctx.Output.Say((p.Pid ?? 0).ToString());
            });
            return;
        }
        var found = new List<ProcessInfo>();
        foreach (var name in names)
        {
            var spec = Namespec.Parse(name);
            var info = all.FirstOrDefault(p => spec.Designates(p.Group, p.Name));
            if (info is null)
            {
                ctx.Output.Say($"No such process {name}");
                ctx.Fail(ExitCodes.Error);
                continue;
            }
            found.Add(info);
            ctx.Output.Text((info.Pid ?? 0).ToString());
            if (info.Pid is null or 0) ctx.Fail(ExitCodes.NotRunning);
        }
        ctx.Output.Json<IReadOnlyList<ProcessInfo>>(found, ControlJsonContext.Default.IReadOnlyListProcessInfo);
    }
}
