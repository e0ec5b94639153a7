namespace Taskmaster.Supervision;

/// <summary>
/// Input for running processes (<c>taskmasterctl fg</c>, supervisord's <c>sendProcessStdin</c>). Apart from
/// <see cref="ISupervisor"/> because only the foreground feature needs it. Each write is a message to the
/// supervision loop, which writes without ever blocking on a child that does not read.
/// </summary>
public interface IProcessStdin
{
    /// <summary>Writes <paramref name="data"/> to the stdin of the one process <paramref name="name"/>
    /// (<c>name</c> or <c>group:name</c>) designates.</summary>
    Task<StdinWriteResult> WriteStdinAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default);
}
