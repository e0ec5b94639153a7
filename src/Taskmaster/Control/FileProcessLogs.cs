using System.Runtime.CompilerServices;
using Taskmaster.Logging;
using Taskmaster.Names;
using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// <see cref="IProcessLogs"/> straight from the log files: the path of a process's log comes from its
/// snapshot, the daemon's from the constructor. Following wakes on the writers' own notifications
/// (<paramref name="writes"/>), so <c>tail -f</c> neither polls nor lags.
/// </summary>
public sealed class FileProcessLogs(ISupervisor supervisor, string? daemonLogFile, ILogWriteNotifier writes) : IProcessLogs
{
    /// <summary>No single read returns more than this, whatever the client asks, so a request cannot balloon memory.</summary>
    public const int MaxReadBytes = 1 << 20;

    public async Task<LogSlice> ReadAsync(string? name, LogStream stream, long offset, int length, CancellationToken ct = default)
    {
        if (length < 0) throw new ControlOperationException(ErrorCode.BadArguments, "length must not be negative");
        if (offset < 0 && length > 0) throw new ControlOperationException(ErrorCode.BadArguments, "a negative offset reads to the end: length must be 0");
        var path = await ResolveAsync(name, stream, ct).ConfigureAwait(false);
        var chunk = ReadMappingErrors(name, () => ChildLogReader.Read(path, offset, length, MaxReadBytes));
        return new LogSlice(chunk.Data, chunk.NextOffset, chunk.Overflow);
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> FollowAsync(string? name, LogStream stream, long offset,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var path = await ResolveAsync(name, stream, ct).ConfigureAwait(false);
        // Reading nothing at the end opens the file: a log that does not exist yet is an error now, not a silent wait.
        ReadMappingErrors(name, () => ChildLogReader.Read(path, long.MaxValue, 0));
        await using var chunks = ChildLogReader.FollowAsync(path, offset, writes, ct).GetAsyncEnumerator(ct);
        while (true)
        {
            bool more;
            try { more = await chunks.MoveNextAsync().ConfigureAwait(false); }
            catch (OperationCanceledException) { yield break; } // the client went away: following ends quietly
            if (!more) yield break;
            yield return chunks.Current;
        }
    }

    private async Task<string> ResolveAsync(string? name, LogStream stream, CancellationToken ct)
    {
        if (name is null)
            return daemonLogFile ?? throw new ControlOperationException(ErrorCode.NoFile, "no log file");
        var spec = Namespec.Parse(name);
        var processes = await supervisor.GetProcessesAsync(ct).ConfigureAwait(false);
        var process = processes.FirstOrDefault(p => spec.Designates(p.Group, p.Name))
            ?? throw new ControlOperationException(ErrorCode.BadName, $"no such process name: {name}");
        var path = stream == LogStream.Stdout ? process.StdoutLogfile : process.StderrLogfile;
        return path ?? throw new ControlOperationException(ErrorCode.NoFile, "no log file");
    }

    private static LogChunk ReadMappingErrors(string? name, Func<LogChunk> read)
    {
        try
        {
            return read();
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Configured but not written yet (the process never printed): supervisord says "no log file" too.
            throw new ControlOperationException(ErrorCode.NoFile, $"no log file for {name ?? "the daemon"}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlOperationException(ErrorCode.Failed, $"cannot read the log: {e.Message}");
        }
        catch (NotSupportedException)
        {
            // A log "file" that is a pipe or a terminal (stdout_logfile=/dev/stdout, as containers do): what went there
            // cannot be read back; supervisord cannot either ("unknown error reading log").
            throw new ControlOperationException(ErrorCode.Failed,
                $"the log of {name ?? "the daemon"} is not a file that can be read back (a pipe or a terminal, such as /dev/stdout): read it where it goes");
        }
    }
}
