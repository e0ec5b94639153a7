namespace Taskmaster.Control;

/// <summary>
/// Read access to captured output, with supervisorctl's tail semantics. <c>offset</c> below zero counts
/// from the end (<c>-1600</c>: the last 1600 bytes); <c>length</c> 0 reads to the end. A null
/// <c>name</c> means the daemon's own log (maintail). Failures throw <see cref="ControlOperationException"/>
/// with <c>BadName</c> (no such process), <c>NoFile</c> (no log file) or <c>BadArguments</c>.
/// </summary>
public interface IProcessLogs
{
    Task<LogSlice> ReadAsync(string? name, LogStream stream, long offset, int length, CancellationToken ct = default);

    /// <summary>Yields the bytes from <paramref name="offset"/> on, then every new write, until <paramref name="ct"/>
    /// is cancelled. Survives truncation (clear, rotation) by starting again at the beginning of the file.</summary>
    IAsyncEnumerable<ReadOnlyMemory<byte>> FollowAsync(string? name, LogStream stream, long offset, CancellationToken ct = default);
}
