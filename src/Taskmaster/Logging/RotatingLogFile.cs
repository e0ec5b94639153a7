// One writer per log path, shared by every stream that targets it (stdout and stderr of one process
// may name the same file). All file work happens under one lock, so a rotation never interleaves with
// a write and no byte is lost across it.
//
// Rotation follows supervisord (path -> path.1 -> ... -> path.N, Backups = 0 truncates in place,
// MaxBytes = 0 never rotates) with one refinement: it happens at a line boundary. A chunk that would
// overflow is cut after its last newline that still fits; a line already under way is finished first
// (a file may overshoot MaxBytes by at most one such line, bounded by LineSlack), so `grep` over the
// rotated files never sees half a line. Non-seekable targets (FIFO, tty, /dev/stdout) are written
// without seeking and never rotated.
//
// Write errors (disk full, read-only or missing directory) never escape: the first one of an episode
// is reported, data is dropped and counted, the file is retried at most once per RetryInterval, and
// the first successful write reports the episode's end with the dropped byte count.
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Logging;

/// <summary>A log file with size-based rotation, error episodes and a write notification.</summary>
internal sealed class RotatingLogFile : IDisposable
{
    /// <summary>How far past MaxBytes a file may grow to finish a line before the line is cut.</summary>
    internal const int LineSlack = 64 * 1024;

    private readonly object _gate = new();
    private readonly ILogger _logger;
    private readonly bool _isPrivate;
    private SafeFileHandle? _handle;
    private bool _seekable;
    private long _size;
    private bool _atLineStart = true;
    private bool _failing;
    private long _droppedInEpisode;
    private long _droppedTotal;
    private long _nextRetryAt;
    private bool _disposed;

    /// <param name="isPrivate">An AUTO log: created 0600 and only ever a file of ours (<see cref="LogFileHandles.OpenForAppend"/>).</param>
    public RotatingLogFile(string path, long maxBytes, int backups, ILogger logger, LogWriteSignal signal, bool isPrivate = false)
    {
        Path = path;
        _isPrivate = isPrivate;
        MaxBytes = Math.Max(0, maxBytes);
        Backups = Math.Max(0, backups);
        _logger = logger;
        Signal = signal;
        lock (_gate)
            TryOpen();
    }

    public string Path { get; }
    // Rotation limits: a reload may change them (SetLimits); both are written and read under _gate.
    public long MaxBytes { get; private set; }
    public int Backups { get; private set; }
    public LogWriteSignal Signal { get; }

    /// <summary>How long to wait before retrying a file that failed.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bytes dropped because the file could not be written, since it was opened.</summary>
    public long DroppedBytes => Interlocked.Read(ref _droppedTotal);

    /// <summary>Whether a write may wait on someone else: the target is a FIFO, a pipe or a terminal, whose
    /// reader sets the pace (a regular file's write only fills the page cache, or fails at once when full).</summary>
    public bool WritesMayBlock
    {
        get
        {
            lock (_gate)
                return _handle is not null && !_seekable;
        }
    }

    /// <summary>Appends <paramref name="data"/>, rotating as needed. Never throws for I/O reasons.</summary>
    public void Write(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
            return;
        lock (_gate)
        {
            if (_disposed)
                return;
            if (_handle is null && !RetryOpen())
            {
                Drop(data.Length);
                return;
            }
            int done = 0;
            try
            {
                while (done < data.Length)
                {
                    var rest = data[done..];
                    int cut = _seekable && MaxBytes > 0 ? CutBeforeRotation(rest) : rest.Length;
                    if (cut > 0)
                    {
                        LogFileHandles.WriteAll(_handle!, rest[..cut], Path);
                        _size += cut;
                        _atLineStart = rest[cut - 1] == (byte)'\n';
                        done += cut;
                    }
                    if (done < data.Length)
                        RotateLocked();
                }
                EndEpisode();
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Whatever a file does wrong, the pump that feeds it must survive and keep draining the pipe.
                Fail(e);
                Drop(data.Length - done);
            }
        }
        Signal.Set();
    }

    /// <summary>New rotation limits for a file already open (a reload changed maxbytes/backups in place). A file
    /// already past the new size rotates at its next write; backups beyond the new count are left alone, as
    /// supervisord leaves them.</summary>
    public void SetLimits(long maxBytes, int backups)
    {
        lock (_gate)
        {
            MaxBytes = Math.Max(0, maxBytes);
            Backups = Math.Max(0, backups);
        }
    }

    /// <summary>Truncates the file and deletes its numbered backups (supervisorctl <c>clear</c>).</summary>
    public void Clear()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            try
            {
                if (_handle is not null && _seekable)
                {
                    RandomAccess.SetLength(_handle, 0);
                    _size = 0;
                    _atLineStart = true;
                }
                DeleteBackups(Path, Backups);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                Fail(e);
            }
        }
        Signal.Set();
    }

    /// <summary>Closes and reopens the file at its configured path (after an external logrotate).</summary>
    public void Reopen()
    {
        lock (_gate)
        {
            if (_disposed)
                return;
            // A pipe or a terminal is the same object after a reopen; only files can have been moved.
            if (_handle is not null && !_seekable)
                return;
            _handle?.Dispose();
            _handle = null;
            TryOpen();
        }
        Signal.Set();
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
        Signal.Set();
    }

    /// <summary>How many bytes of <paramref name="rest"/> go into the current file before rotating.</summary>
    private int CutBeforeRotation(ReadOnlySpan<byte> rest)
    {
        long room = MaxBytes - _size;
        if (rest.Length <= room)
            return rest.Length;
        int fit = (int)Math.Max(0, room);
        int lastNewline = rest[..fit].LastIndexOf((byte)'\n');
        if (lastNewline >= 0)
            return lastNewline + 1;
        if (_size > 0 && _atLineStart)
            return 0; // the chunk starts a line that does not fit: it opens the next file
        // A line is under way (or one longer than MaxBytes starts an empty file): finish it if it ends soon.
        int slackEnd = (int)Math.Min(rest.Length, fit + Math.Min(MaxBytes, LineSlack));
        int newline = rest[fit..slackEnd].IndexOf((byte)'\n');
        if (newline >= 0)
            return fit + newline + 1;
        return fit;
    }

    private void RotateLocked()
    {
        if (Backups == 0)
        {
            RandomAccess.SetLength(_handle!, 0);
        }
        else
        {
            _handle!.Dispose();
            _handle = null;
            for (int i = Backups - 1; i >= 1; i--)
                ShiftLocked($"{Path}.{i}", $"{Path}.{i + 1}");
            ShiftLocked(Path, Path + ".1");
            OpenLocked();
        }
        _size = 0;
        _atLineStart = true;
    }

    /// <summary>Renames <paramref name="from"/> to <paramref name="to"/>, retiring what <paramref name="to"/> held.</summary>
    /// <remarks>
    /// Freeing the oldest generation (tens of MB, much of it still dirty in the page cache) is slow on ext4, and
    /// renaming over an existing file costs as much again (ext4 flushes a file that replaces another on rename;
    /// docs/BENCHMARKS.md § Design costs). Paid here, under the lock, it would stall the pump once per rotation
    /// while the child blocks on a full pipe. So the old file is kept open (O_PATH), unlinked, and closed on a pool thread,
    /// where its last reference, and with it the freeing, goes; the rename then replaces nothing.
    /// </remarks>
    private static void ShiftLocked(string from, string to)
    {
        if (!File.Exists(from))
            return;
        var retired = LogFileHandles.TryHoldForRetirement(to);
        if (retired is not null)
        {
            File.Delete(to);
            ThreadPool.UnsafeQueueUserWorkItem(static h => h.Dispose(), retired, preferLocal: false);
        }
        File.Move(from, to, overwrite: true);
    }

    private void OpenLocked()
    {
        var handle = LogFileHandles.OpenForAppend(Path, isPrivate: _isPrivate);
        _seekable = LogFileHandles.IsSeekable(handle);
        _size = _seekable ? RandomAccess.GetLength(handle) : 0;
        _atLineStart = true;
        _handle = handle;
    }

    private bool TryOpen()
    {
        try
        {
            OpenLocked();
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Fail(e);
            return false;
        }
    }

    private bool RetryOpen()
    {
        if (Environment.TickCount64 < _nextRetryAt)
            return false;
        return TryOpen();
    }

    private void Fail(Exception error)
    {
        _handle?.Dispose();
        _handle = null;
        _nextRetryAt = Environment.TickCount64 + (long)RetryInterval.TotalMilliseconds;
        if (_failing)
            return;
        _failing = true;
        _droppedInEpisode = 0;
        _logger.WriteFailed(Path, error.Message);
    }

    private void EndEpisode()
    {
        if (!_failing)
            return;
        _failing = false;
        _logger.WriteResumed(Path, _droppedInEpisode);
    }

    private void Drop(int bytes)
    {
        _droppedInEpisode += bytes;
        Interlocked.Add(ref _droppedTotal, bytes);
    }

    /// <summary>Deletes those of <c>path.1</c> … <c>path.backups</c> that exist: one directory listing, not one
    /// unlink per configured backup.</summary>
    internal static void DeleteBackups(string path, int backups)
    {
        var directory = System.IO.Path.GetDirectoryName(path)!;
        var prefix = System.IO.Path.GetFileName(path) + ".";
        IEnumerable<string> candidates;
        try { candidates = Directory.EnumerateFiles(directory, prefix + "*"); }
        catch (DirectoryNotFoundException) { return; }
        foreach (var candidate in candidates)
        {
            var name = System.IO.Path.GetFileName(candidate.AsSpan());
            if (!name.StartsWith(prefix, StringComparison.Ordinal))
                continue; // the pattern "x.*" also matches "x" itself
            var suffix = name[prefix.Length..];
            if (int.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n >= 1 && n <= backups
                && suffix.Length == Digits(n))
                File.Delete(candidate);
        }
    }

    private static int Digits(int n) => n < 10 ? 1 : 1 + Digits(n / 10);
}
