using System.Runtime.CompilerServices;
using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// <see cref="IProcessLogs"/> straight from the log files: the path of a process's log comes from its
/// snapshot, the daemon's from the constructor. Following polls the file size because the files are written
/// by another component (or another process); a short interval keeps <c>tail -f</c> responsive at negligible cost.
/// </summary>
public sealed class FileProcessLogs(ISupervisor supervisor, string? daemonLogFile, TimeSpan? pollInterval = null) : IProcessLogs
{
    /// <summary>No single read returns more than this, whatever the client asks, so a request cannot balloon memory.</summary>
    public const int MaxReadBytes = 1 << 20;

    private readonly TimeSpan _poll = pollInterval ?? TimeSpan.FromMilliseconds(200);

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
        long position;
        {
            await using var first = OpenShared(path, name);
            position = offset < 0 ? Math.Max(0, first.Length + offset) : Math.Min(offset, first.Length);
        }
        var buffer = new byte[64 * 1024];
        while (!ct.IsCancellationRequested)
        {
            FileStream? file = null;
            try
            {
                try { file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete); }
                catch (IOException) { file = null; } // rotated away for a moment: try again next round
                if (file is not null)
                {
                    if (file.Length < position) position = 0; // truncated (clear) or rotated: start over
                    file.Position = position;
                    int read;
                    while ((read = await file.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
                    {
                        position += read;
                        yield return buffer.AsMemory(0, read).ToArray();
                    }
                }
            }
            finally
            {
                if (file is not null) await file.DisposeAsync().ConfigureAwait(false);
            }
            try { await Task.Delay(_poll, ct).ConfigureAwait(false); }
            catch (OperationCanceledException) { yield break; }
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
