using Taskmaster.Control;
using Taskmaster.Supervision;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Daemon;

/// <summary>
/// supervisorctl's <c>avail</c> (and taskmasterctl's <c>list</c>): every process of the configuration last read
/// (at start, or by the latest reread/update/add), marked in use when the engine runs it. Like supervisord, a
/// program a reread found gone from the file is no longer listed, even while it runs until the next update.
/// </summary>
internal sealed class ProgramCatalog(ConfigurationController configuration, Supervisor supervisor) : IProgramCatalog
{
    public async Task<IReadOnlyList<ProgramInfo>> GetProgramsAsync(CancellationToken ct = default)
    {
        var active = await supervisor.GetActiveGroupsAsync(ct);
        var inUse = active.SelectMany(g => g.Processes).Select(p => (p.GroupName, p.Name)).ToHashSet();
        return [.. configuration.LastRead.Groups.SelectMany(group => group.Processes.Select(process =>
            new ProgramInfo(process.Name, process.GroupName, process.ProgramName,
                inUse.Contains((process.GroupName, process.Name)), process.Autostart, group.Priority, process.Priority)))];
    }
}
