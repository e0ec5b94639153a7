using Taskmaster.Control;
using Taskmaster.Supervision;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Daemon;

/// <summary>
/// supervisorctl's <c>avail</c> (and taskmasterctl's <c>list</c>): every process of the configuration last read,
/// marked in use when the engine runs it, plus running ones a newer read no longer mentions.
/// </summary>
internal sealed class ProgramCatalog(ConfigurationController configuration, Supervisor supervisor) : IProgramCatalog
{
    public async Task<IReadOnlyList<ProgramInfo>> GetProgramsAsync(CancellationToken ct = default)
    {
        var active = await supervisor.GetActiveGroupsAsync(ct);
        var inUse = active.SelectMany(g => g.Processes).Select(p => (p.GroupName, p.Name)).ToHashSet();
        var result = new List<ProgramInfo>();
        var seen = new HashSet<(string, string)>();
        foreach (var group in configuration.LastRead.Groups.Concat(active))
            foreach (var process in group.Processes)
                if (seen.Add((process.GroupName, process.Name)))
                    result.Add(new ProgramInfo(process.Name, process.GroupName, process.ProgramName,
                        inUse.Contains((process.GroupName, process.Name)), process.Autostart, group.Priority, process.Priority));
        return result;
    }
}
