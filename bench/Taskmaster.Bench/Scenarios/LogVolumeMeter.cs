namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// Counts bytes that landed in a rotated log (<c>file</c>, <c>file.1</c>, <c>file.2</c>) although
/// rotation renames and deletes files under us: when the live file shrinks, a rotation happened and
/// the just-closed generation is now <c>file.1</c>, whose size is final. Polled every few ms, far
/// more often than a 50 MB generation fills.
/// </summary>
internal sealed class LogVolumeMeter(string path)
{
    private long _rotatedBytes;
    private long _lastLive;

    public int Rotations { get; private set; }

    /// <summary>Bytes written so far, rotated generations included.</summary>
    public long Poll()
    {
        var live = SizeOf(path);
        if (live < _lastLive)
        {
            Rotations++;
            _rotatedBytes += Math.Max(SizeOf(path + ".1"), _lastLive);
        }
        _lastLive = live;
        return _rotatedBytes + live;
    }

    private static long SizeOf(string file)
    {
        try { return new FileInfo(file).Length; }
        catch (IOException) { return 0; }
        catch (UnauthorizedAccessException) { return 0; }
    }
}
