namespace Taskmaster.Control;

/// <summary>
/// The configured processes, in use or not (supervisorctl's <c>avail</c>, taskmasterctl's <c>list</c>). Separate
/// from <see cref="Supervision.ISupervisor"/> because it is a view of the configuration, not of live state.
/// </summary>
public interface IProgramCatalog
{
    Task<IReadOnlyList<ProgramInfo>> GetProgramsAsync(CancellationToken ct = default);
}
