// Reading log files for the control API, with supervisorctl's semantics: a negative offset counts
// from the end (`tail -1600 web`), Tail mirrors supervisord's tailFile (the window that `tail -f`
// polls with), and FollowAsync streams new bytes as the writer announces them. Files are opened
// shared for each call, so rotation, clear and reopen never see a reader holding them.
using System.Runtime.CompilerServices;

namespace Taskmaster.Logging;

/// <summary>Reads log files by offset: plain reads, supervisord-style tails, and follow.</summary>
public static class ChildLogReader
{
    /// <summary>The most a single read returns unless the caller asks for less.</summary>
    public const int MaxReadLength = 4 * 1024 * 1024;

    /// <summary>
    /// The most one step of a follow reads, and the size of the one buffer a follower reads into. A client that does not
    /// read costs that buffer plus the server's bounded response buffer, whatever the file's size. The buffer is the
    /// follower's own, not the shared array pool's: the pool's per-core stacks would keep what a burst of followers
    /// handed back, where an own buffer is garbage once its follow ends, which one collection returns.
    /// </summary>
    public const int FollowChunkLength = 64 * 1024;

    /// <summary>
    /// Reads <paramref name="length"/> bytes from <paramref name="offset"/> (0: to the end). A negative
    /// offset returns the last <c>-offset</c> bytes. An offset past the end returns nothing and a
    /// NextOffset at the current end. A window larger than <paramref name="maxLength"/> keeps its newest
    /// <paramref name="maxLength"/> bytes and sets Overflow, like supervisord's tail: what a reader of a
    /// log wants is its end. Throws <see cref="FileNotFoundException"/> for a missing file.
    /// </summary>
    public static LogChunk Read(string path, long offset, int length, int maxLength = MaxReadLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxLength);
        using var handle = OpenShared(path);
        long size = RandomAccess.GetLength(handle);
        long start = offset < 0 ? Math.Max(0, size + offset) : Math.Min(offset, size);
        long end = offset < 0 || length == 0 ? size : Math.Min(size, start + length);
        bool overflow = end - start > maxLength;
        if (overflow)
            start = end - maxLength;
        var data = ReadExactly(handle, start, (int)(end - start));
        return new LogChunk(data, start + data.Length, overflow);
    }

    /// <summary>
    /// supervisord's tailFile: returns at most <paramref name="length"/> bytes ending at the end of the
    /// file when the file grew past <c>offset + length</c> (Overflow = true), else the bytes from
    /// <paramref name="offset"/>. NextOffset is always the file size. A missing file yields nothing.
    /// </summary>
    public static LogChunk Tail(string path, long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        length = Math.Min(length, MaxReadLength);
        try
        {
            using var handle = OpenShared(path);
            long size = RandomAccess.GetLength(handle);
            bool overflow = size > offset + length;
            long start = overflow ? size - length : Math.Max(0, Math.Min(offset, size));
            var data = ReadExactly(handle, start, (int)Math.Min(length, size - start));
            return new LogChunk(data, size, overflow);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return new LogChunk([], offset);
        }
    }

    /// <summary>
    /// Yields what is appended to <paramref name="path"/> from <paramref name="offset"/> on (negative:
    /// that many bytes before the current end), at most <see cref="FollowChunkLength"/> bytes at a time, the next read
    /// only once the consumer asks for it, waking on the writer's notification. Runs until
    /// <paramref name="ct"/> is cancelled. Each chunk lies in the follower's one buffer: it is valid until the next
    /// step, so a consumer copies or writes it before asking for more.
    /// </summary>
    /// <remarks>
    /// The file being followed is held open, so a rotation cannot take its last lines away: when the path names
    /// another file (another inode), the held one is final (the writer closed it before renaming it) and is read to
    /// its end before following the new one from its start. What cannot be read is marked in the stream with
    /// <see cref="GapMarker"/>: a file truncated in place (rotation with no backups, <c>clear</c>) under unread
    /// output, or more than one rotation between two reads (the file in between was never open here).
    /// </remarks>
    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> FollowAsync(string path, long offset, ILogWriteNotifier notifier,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(notifier);
        Microsoft.Win32.SafeHandles.SafeFileHandle? held = null;
        ulong heldInode = 0;
        var buffer = GC.AllocateUninitializedArray<byte>(FollowChunkLength);
        try
        {
            while (true)
            {
                ct.ThrowIfCancellationRequested();
                var written = notifier.WhenWritten(path); // before reading: no write can slip between
                if (held is null)
                {
                    // First open only: afterwards a rotation switches files itself, without letting go of the old one.
                    held = TryOpenShared(path);
                    if (held is null)
                    {
                        await written.WaitAsync(ct).ConfigureAwait(false); // not created yet, or between rotation steps
                        continue;
                    }
                    heldInode = Inode(held);
                    long initial = RandomAccess.GetLength(held);
                    offset = offset < 0 ? Math.Max(0, initial + offset) : offset > initial ? 0 : offset; // past the end: an older file's offset
                }
                long size = RandomAccess.GetLength(held);
                if (size < offset)
                {
                    offset = 0;
                    yield return GapMarker(path, "was truncated");
                    continue;
                }
                int read = ReadInto(held, offset, buffer.AsSpan(0, (int)Math.Min(size - offset, FollowChunkLength)));
                if (read > 0)
                {
                    offset += read;
                    yield return buffer.AsMemory(0, read);
                    continue;
                }
                if (InodeOf(path) is { } current && current != heldInode)
                {
                    // Rotated: whatever reached the held file before the writer let it go is read first (the loop
                    // above sees it; only an empty read gets here, and the held file no longer grows).
                    if (RandomAccess.GetLength(held) > offset)
                        continue;
                    var next = TryOpenShared(path);
                    if (next is null)
                    {
                        await written.WaitAsync(ct).ConfigureAwait(false); // between two steps of a rotation
                        continue;
                    }
                    held.Dispose();
                    (held, offset) = (next, 0);
                    var nextInode = Inode(next);
                    // The file opened follows the finished one directly only if that one is its first backup now, or,
                    // after one more rotation, the second while the new one is the first. Anything else may have
                    // skipped a file: said, never silently.
                    bool direct = InodeOf(path + ".1") is { } first
                        && (first == heldInode || (first == nextInode && InodeOf(path + ".2") == heldInode));
                    heldInode = nextInode;
                    if (!direct)
                        yield return GapMarker(path, "rotated more than once between two reads");
                    continue;
                }
                await written.WaitAsync(ct).ConfigureAwait(false);
            }
        }
        finally
        {
            held?.Dispose();
        }
    }

    /// <summary>The line a follower gets where output it could not read was (a rotation it could not keep up with).</summary>
    public static byte[] GapMarker(string path, string why) =>
        System.Text.Encoding.UTF8.GetBytes($"\n[taskmaster: {System.IO.Path.GetFileName(path)} {why}; output may be missing here]\n");

    private static Microsoft.Win32.SafeHandles.SafeFileHandle? TryOpenShared(string path)
    {
        try { return OpenShared(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return null; }
    }

    private static unsafe ulong Inode(Microsoft.Win32.SafeHandles.SafeFileHandle handle)
    {
        Posix.Files.StatxBuffer st;
        return Posix.Files.Statx((int)handle.DangerousGetHandle(), "", Posix.Files.AT_EMPTY_PATH, Posix.Files.STATX_INO, &st) == 0 ? st.Ino : 0;
    }

    private static unsafe ulong? InodeOf(string path)
    {
        Posix.Files.StatxBuffer st;
        return Posix.Files.Statx(Posix.Files.AT_FDCWD, path, 0, Posix.Files.STATX_INO, &st) == 0 ? st.Ino : null;
    }

    private static Microsoft.Win32.SafeHandles.SafeFileHandle OpenShared(string path) =>
        File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);

    private static byte[] ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long start, int count)
    {
        if (count <= 0)
            return [];
        var data = new byte[count];
        int total = ReadInto(handle, start, data);
        return total == count ? data : data[..total];
    }

    /// <summary>Fills <paramref name="into"/> from <paramref name="start"/>; fewer bytes only where the file ends first.</summary>
    private static int ReadInto(Microsoft.Win32.SafeHandles.SafeFileHandle handle, long start, Span<byte> into)
    {
        int total = 0;
        while (total < into.Length)
        {
            int read = RandomAccess.Read(handle, into[total..], start + total);
            if (read == 0)
                break; // truncated under us
            total += read;
        }
        return total;
    }
}
