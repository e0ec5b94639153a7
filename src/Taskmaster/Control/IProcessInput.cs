namespace Taskmaster.Control;

/// <summary>
/// Writes to a running process's stdin, for <c>taskmasterctl fg</c>. Kept apart from <see cref="Supervision.ISupervisor"/>
/// because only the foreground feature needs it and the engine may keep stdin closed; the daemon wires it when it
/// keeps a stdin pipe per child. Throws <see cref="ControlOperationException"/> (BadName, NotRunning).
/// </summary>
public interface IProcessInput
{
    Task WriteAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default);
}
