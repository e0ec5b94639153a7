// Output capture for all children. Attach hands each pipe to OutputPump (the pipe reactor) and returns;
// pumps share one RotatingLogFile per path (reference-counted: the file closes when its last stream
// reaches EOF), so stdout and stderr of one process can name the same file without two writers
// fighting over its offset or its rotation.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;

namespace Taskmaster.Logging;

/// <summary>
/// Captures children's output into rotated log files (<see cref="IChildLogs"/>), and tells log
/// followers when a file changes (<see cref="ILogWriteNotifier"/>).
/// </summary>
public sealed class ChildLogs : IChildLogs, ILogWriteNotifier
{
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private readonly Dictionary<string, SharedFile> _files = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, LogWriteSignal> _signals = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _pumps = new();
    private long _droppedByClosedFiles;
    private bool _disposed;

    /// <param name="logger">Where write errors are reported (once per episode).</param>
    public ChildLogs(ILogger? logger = null) => _logger = logger ?? NullLogger.Instance;

    /// <summary>How long a failing file waits before it is tried again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The clock of log line stamps (<c>log_timestamps</c>).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Bytes dropped so far because a log file could not be written.</summary>
    public long DroppedBytes
    {
        get
        {
            lock (_gate)
                return _droppedByClosedFiles + _files.Values.Sum(f => f.File.DroppedBytes);
        }
    }

    public void Attach(ProcessConfig process, SafeFileHandle? stdoutPipe, SafeFileHandle? stderrPipe,
        IOutputTap? stdoutTap = null, IOutputTap? stderrTap = null, OutputCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(process);
        if (stdoutPipe is not null)
            StartPump(process, stdoutPipe, process.Stdout, stdoutTap, counters, isStderr: false);
        if (stderrPipe is not null)
            StartPump(process, stderrPipe, process.RedirectStderr ? process.Stdout : process.Stderr, stderrTap, counters, isStderr: true);
    }

    public void Clear(ProcessConfig process)
    {
        ArgumentNullException.ThrowIfNull(process);
        foreach (var target in new[] { process.Stdout, process.Stderr }.DistinctBy(t => t.Path))
        {
            if (target.Path is null)
                continue;
            RotatingLogFile? open;
            lock (_gate)
                open = _files.TryGetValue(target.Path, out var shared) ? shared.File : null;
            if (open is not null)
                open.Clear();
            else
                ClearOnDisk(target);
        }
    }

    public void Retarget(ProcessConfig process)
    {
        ArgumentNullException.ThrowIfNull(process);
        foreach (var target in TargetsOf(process))
        {
            if (target.Path is null)
                continue;
            RotatingLogFile? open;
            lock (_gate)
                open = _files.TryGetValue(target.Path, out var shared) ? shared.File : null;
            open?.SetLimits(target.MaxBytes, target.Backups);
        }
    }

    // Creating a file costs an inode and a directory entry, opening an existing one only a lookup: created by the
    // spawn, on the supervision loop, the log files of a batch start would take most of the loop's time
    // (docs/BENCHMARKS.md § Design costs); done ahead on a pool thread, their creation overlaps the spawns.
    // O_EXCL leaves every path that already exists alone (a FIFO whose reader must not see a writer come and go,
    // /dev/stdout, a log with content), and any failure is left for the spawn's own open to report.
    public Task Prepare(IEnumerable<ProcessConfig> processes)
    {
        ArgumentNullException.ThrowIfNull(processes);
        var paths = new List<LogTarget>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var process in processes)
            foreach (var target in TargetsOf(process))
                if (target.Path is { } path && seen.Add(path))
                    paths.Add(target);
        if (paths.Count < 2)
            return Task.CompletedTask; // a single spawn would only race its own preparation
        return Task.Run(() => CreateMissing(paths));
    }

    private void CreateMissing(List<LogTarget> targets)
    {
        foreach (var target in targets)
        {
            if (Volatile.Read(ref _disposed))
                return;
            LogFileHandles.CreateIfMissing(target.Path!, target.IsAuto);
        }
    }

    public void ReopenAll()
    {
        RotatingLogFile[] open;
        lock (_gate)
            open = _files.Values.Select(f => f.File).ToArray();
        foreach (var file in open)
            file.Reopen();
    }

    public Task WhenWritten(string path) => SignalFor(path).Next();

    /// <summary>Completes when every pump started so far has reached end of file (shutdown, tests).</summary>
    public Task WhenAllDrained() => Task.WhenAll(_pumps.Keys.ToArray());

    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            _disposed = true;
            foreach (var shared in _files.Values)
                shared.File.Dispose();
            _files.Clear();
        }
    }

    /// <summary>Drains <paramref name="pipe"/> into <paramref name="target"/>; the pump is tracked until it ends.</summary>
    private void StartPump(ProcessConfig process, SafeFileHandle pipe, LogTarget target, IOutputTap? tap, OutputCounters? counters, bool isStderr)
    {
        var file = target.Path is null ? null : Acquire(target);
        var stamp = isStderr ? process.StderrStamp : process.StdoutStamp;
        var stamper = file is not null && stamp is not null ? new LineStamper(stamp, Time) : null;
        var pump = Pump();
        _pumps.TryAdd(pump, true);
        pump.ContinueWith(t => _pumps.TryRemove(t, out _), TaskScheduler.Default);

        // RunAsync only registers the pipe and returns, so the caller is never held up.
        async Task Pump()
        {
            try
            {
                await OutputPump.RunAsync(pipe, file, process.FullName, _logger, tap, counters, isStderr, stamper).ConfigureAwait(false);
            }
            finally
            {
                if (file is not null)
                    Release(file);
            }
        }
    }

    private RotatingLogFile Acquire(LogTarget target)
    {
        string path = target.Path!;
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (!_files.TryGetValue(path, out var shared))
            {
                // The first stream to open a path sets its rotation; a second one with other limits
                // (a config mistake) must not make two writers race on one file.
                var file = new RotatingLogFile(path, target.MaxBytes, target.Backups, _logger, SignalFor(path), target.IsAuto)
                {
                    RetryInterval = RetryInterval,
                };
                shared = new SharedFile(file);
                _files.Add(path, shared);
            }
            shared.References++;
            return shared.File;
        }
    }

    private void Release(RotatingLogFile file)
    {
        lock (_gate)
        {
            if (!_files.TryGetValue(file.Path, out var shared) || shared.File != file)
                return; // disposed meanwhile
            if (--shared.References > 0)
                return;
            _files.Remove(file.Path);
            _droppedByClosedFiles += file.DroppedBytes;
            file.Dispose();
        }
    }

    /// <summary>The targets a process's pipes feed: with redirect_stderr both streams go to the stdout file.</summary>
    private static LogTarget[] TargetsOf(ProcessConfig process) =>
        process.RedirectStderr ? [process.Stdout] : [process.Stdout, process.Stderr];

    private LogWriteSignal SignalFor(string path) => _signals.GetOrAdd(path, static _ => new LogWriteSignal());

    private void ClearOnDisk(LogTarget target)
    {
        try
        {
            if (File.Exists(target.Path))
            {
                using var handle = LogFileHandles.OpenForAppend(target.Path!, create: false, isPrivate: target.IsAuto);
                if (LogFileHandles.IsSeekable(handle))
                    RandomAccess.SetLength(handle, 0);
            }
            RotatingLogFile.DeleteBackups(target.Path!, target.Backups);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _logger.WriteFailed(target.Path!, e.Message);
        }
        SignalFor(target.Path!).Set();
    }

    private sealed class SharedFile(RotatingLogFile file)
    {
        public RotatingLogFile File { get; } = file;
        public int References { get; set; }
    }
}
