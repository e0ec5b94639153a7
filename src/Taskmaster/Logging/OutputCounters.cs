namespace Taskmaster.Logging;

/// <summary>
/// Bytes captured from one process's stdout and stderr since the daemon started supervising it, across all its
/// children: what <c>/metrics</c> exports as <c>taskmaster_process_log_bytes_total</c>. The log pumps add to it
/// from their own threads (one atomic add per read, however large the read), readers take a plain snapshot.
/// </summary>
public sealed class OutputCounters
{
    private long _stdout;
    private long _stderr;

    public long Stdout => Volatile.Read(ref _stdout);
    public long Stderr => Volatile.Read(ref _stderr);

    internal void Add(bool stderr, int bytes)
    {
        if (stderr) Interlocked.Add(ref _stderr, bytes);
        else Interlocked.Add(ref _stdout, bytes);
    }
}
