namespace Taskmaster.Bench.Scenarios;

/// <summary>
/// Counts bytes that landed in a rotated log (<c>file</c>, <c>file.1</c>, <c>file.2</c>) although
/// rotation renames and deletes files under us. Each generation is followed by inode (a rename
/// keeps it), so its final size is seen while it sits as <c>.1</c> or <c>.2</c>; an inode whose
/// size shrinks was freed and reused by a new generation. Polled every few ms, far more often than
/// a 50 MB generation fills and ages out.
/// </summary>
internal sealed class LogVolumeMeter(string path)
{
    private readonly Dictionary<ulong, (long Last, long Max)> _generations = [];
    private readonly string[] _paths = [path, path + ".1", path + ".2"];
    private long _reusedBytes;
    private int _generationCount;

    /// <summary>Generations seen minus the first.</summary>
    public int Rotations => Math.Max(0, _generationCount - 1);

    /// <summary>Bytes written so far, rotated generations included.</summary>
    public long Poll()
    {
        foreach (var p in _paths)
        {
            var stat = Posix.Stat(p);
            if (stat is null) continue;
            var (inode, size) = stat.Value;
            if (_generations.TryGetValue(inode, out var g))
            {
                if (size < g.Last)
                {
                    _reusedBytes += g.Max;
                    _generationCount++;
                    g = (0, 0);
                }
                _generations[inode] = (size, Math.Max(g.Max, size));
            }
            else
            {
                _generationCount++;
                _generations[inode] = (size, size);
            }
        }
        return _reusedBytes + _generations.Values.Sum(g => g.Max);
    }
}
