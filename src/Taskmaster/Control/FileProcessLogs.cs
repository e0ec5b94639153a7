using System.Runtime.CompilerServices;
using Taskmaster.Logging;
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
        if (length < 0) throw new ControlOperationException((int)ErrorCode.BadArguments, "length must not be negative");
        if (offset < 0 && length > 0) throw new ControlOperationException((int)ErrorCode.BadArguments, "a negative offset reads to the end: length must be 0");
        var path = await ResolveAsync(name, stream, ct).ConfigureAwait(false);
        await using var file = OpenShared(path, name);
        var size = file.Length;
        long start = offset < 0 ? Math.Max(0, size + offset) : Math.Min(offset, size);
        long end = length == 0 ? size : Math.Min(size, start + length);
        var overflow = false;
        if (end - start > MaxReadBytes)
        {
            start = end - MaxReadBytes;
            overflow = true;
        }
        var buffer = new byte[end - start];
        file.Position = start;
        await file.ReadExactlyAsync(buffer, ct).ConfigureAwait(false);
        return new LogSlice(buffer, end, overflow);
    }

    public async IAsyncEnumerable<ReadOnlyMemory<byte>> FollowAsync(string? name, LogStream stream, long offset,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        var path = await ResolveAsync(name, stream, ct).ConfigureAwait(false);
        await using (OpenShared(path, name)) { } // a log that does not exist yet is an error now, not a silent wait
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
            return daemonLogFile ?? throw new ControlOperationException((int)ErrorCode.NoFile, "no log file");
        var processes = await supervisor.GetProcessesAsync(ct).ConfigureAwait(false);
        var process = processes.FirstOrDefault(p => p.FullName == name)
            ?? processes.FirstOrDefault(p => p.Name == name && p.Group == name)
            ?? throw new ControlOperationException((int)ErrorCode.BadName, $"no such process name: {name}");
        var path = stream == LogStream.Stdout ? process.StdoutLogfile : process.StderrLogfile;
        return path ?? throw new ControlOperationException((int)ErrorCode.NoFile, "no log file");
    }

    private static FileStream OpenShared(string path, string? name)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 4096, useAsync: true);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Configured but not written yet (the process never printed): supervisord says "no log file" too.
            throw new ControlOperationException((int)ErrorCode.NoFile, $"no log file for {name ?? "the daemon"}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ControlOperationException((int)ErrorCode.Failed, $"cannot read the log: {e.Message}");
        }
    }
}
