using System.Text;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

public sealed class ChildLogReaderTests : IDisposable
{
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    private string FileWith(string text)
    {
        string path = Path.Combine(_dir, "out.log");
        System.IO.File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Read_PositiveOffset_ReturnsBytesAndNextOffset()
    {
        string path = FileWith("0123456789");
        var chunk = ChildLogReader.Read(path, 2, 5);
        Assert.Equal("23456", Encoding.UTF8.GetString(chunk.Data));
        Assert.Equal(7, chunk.NextOffset);
        Assert.Equal("789", Encoding.UTF8.GetString(ChildLogReader.Read(path, chunk.NextOffset, 0).Data));
    }

    [Fact]
    public void Read_NegativeOffset_ReturnsTailOfFile()
    {
        string path = FileWith("0123456789");
        var chunk = ChildLogReader.Read(path, -4, 0);
        Assert.Equal("6789", Encoding.UTF8.GetString(chunk.Data));
        Assert.Equal(10, chunk.NextOffset);
        Assert.Equal("0123456789", Encoding.UTF8.GetString(ChildLogReader.Read(path, -100, 0).Data));
    }

    [Fact]
    public void Read_BeyondEnd_ReturnsNothingAndCurrentEnd()
    {
        string path = FileWith("0123456789");
        var chunk = ChildLogReader.Read(path, 50, 10);
        Assert.Empty(chunk.Data);
        Assert.Equal(10, chunk.NextOffset);
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(-8, 0)]
    [InlineData(1, 7)]
    public void Read_WindowLargerThanMax_KeepsNewestBytesWithOverflow(long offset, int length)
    {
        string path = FileWith("0123456789");
        var chunk = ChildLogReader.Read(path, offset, length, maxLength: 3);
        long end = length == 0 ? 10 : offset + length;
        Assert.Equal("0123456789"[(int)(end - 3)..(int)end], Encoding.UTF8.GetString(chunk.Data));
        Assert.Equal(end, chunk.NextOffset);
        Assert.True(chunk.Overflow);
        Assert.False(ChildLogReader.Read(path, 7, 0, maxLength: 3).Overflow);
    }

    [Fact]
    public void Read_MissingFile_Throws()
    {
        Assert.Throws<FileNotFoundException>(() => ChildLogReader.Read(Path.Combine(_dir, "none"), 0, 0));
    }

    [Fact]
    public void Tail_FileGrewPastWindow_ReturnsLastBytesWithOverflow()
    {
        string path = FileWith("0123456789");
        var chunk = ChildLogReader.Tail(path, 0, 4);
        Assert.Equal("6789", Encoding.UTF8.GetString(chunk.Data));
        Assert.True(chunk.Overflow);
        Assert.Equal(10, chunk.NextOffset);

        var within = ChildLogReader.Tail(path, 8, 100);
        Assert.Equal("89", Encoding.UTF8.GetString(within.Data));
        Assert.False(within.Overflow);
    }

    [Fact]
    public async Task Follow_WakesOnNewDataFromWriter()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);
        pipe.Write("first\n");
        await WaitUntil(() => System.IO.File.Exists(log) && ReadShared(log) == "first\n", "first line");

        using var cts = new CancellationTokenSource(Deadline);
        var received = new StringBuilder();
        await using var follow = ChildLogReader.FollowAsync(log, -6, logs, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await follow.MoveNextAsync());
        received.Append(Encoding.UTF8.GetString(follow.Current.Span));
        Assert.Equal("first\n", received.ToString());

        var next = follow.MoveNextAsync().AsTask();
        Assert.False(next.IsCompleted);
        pipe.Write("second\n");
        Assert.True(await next.WaitAsync(Deadline));
        Assert.Equal("second\n", Encoding.UTF8.GetString(follow.Current.Span));
        pipe.CloseWriter();
    }

    [Fact]
    public async Task Follow_AfterRotation_RestartsAtStartOfNewFile()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes: 20, backups: 1)), pipe.ReadEnd, null);
        pipe.Write("0123456789abcdef\n");
        await WaitUntil(() => System.IO.File.Exists(log) && ReadShared(log).Length == 17, "first line");

        using var cts = new CancellationTokenSource(Deadline);
        await using var follow = ChildLogReader.FollowAsync(log, 17, logs, cts.Token).GetAsyncEnumerator(cts.Token);
        var next = follow.MoveNextAsync().AsTask();
        pipe.Write("rotated\n"); // does not fit: opens a new file
        Assert.True(await next.WaitAsync(Deadline));
        Assert.Equal("rotated\n", Encoding.UTF8.GetString(follow.Current.Span));
        pipe.CloseWriter();
    }

    /// <summary>Issue 27 item 12: a follower that keeps up lost 6–8k of 400k lines, one gap per rotation, unmarked.</summary>
    /// <remarks>With backups = 0 a rotation truncates in place, which a reader only sees when it finds the file shorter
    /// than its offset (docs/DIFFERENCES.md): that case is not asserted here.</remarks>
    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task Follow_AFastWriterWithSmallMaxBytes_EveryLineArrivesInOrder_OrAGapIsMarked(int backups)
    {
        const int Lines = 40_000;
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes: 8 * 1024, backups: backups)), pipe.ReadEnd, null);
        pipe.Write(Numbered(0));
        await WaitUntil(() => System.IO.File.Exists(log) && ReadShared(log).Length > 0, "first line");

        using var cts = new CancellationTokenSource(Deadline);
        var received = new StringBuilder();
        var follow = ChildLogReader.FollowAsync(log, 0, logs, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await follow.MoveNextAsync()); // the follower holds the first file before the flood begins
        received.Append(Encoding.UTF8.GetString(follow.Current.Span));
        var follower = Task.Run(async () =>
        {
            while (!received.ToString().EndsWith(Numbered(Lines - 1), StringComparison.Ordinal) && await follow.MoveNextAsync())
                received.Append(Encoding.UTF8.GetString(follow.Current.Span));
            await follow.DisposeAsync();
        });
        var block = new StringBuilder();
        for (int i = 1; i < Lines; i++)
        {
            block.Append(Numbered(i));
            if (block.Length > 1500 || i == Lines - 1)
            {
                pipe.Write(block.ToString());
                block.Clear();
            }
        }
        await follower.WaitAsync(Deadline);
        pipe.CloseWriter();

        int expected = 0, gaps = 0, lost = 0, n;
        var lines = received.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        static bool IsMarker(string line) => line.StartsWith("[taskmaster: out.log ", StringComparison.Ordinal);
        for (int i = 0; i < lines.Length; i++)
        {
            if (IsMarker(lines[i])) { gaps++; continue; }
            bool besideGap = (i > 0 && IsMarker(lines[i - 1])) || (i + 1 < lines.Length && IsMarker(lines[i + 1]));
            n = -1;
            bool whole = lines[i].Length >= 11 && int.TryParse(lines[i].AsSpan(5, 6), System.Globalization.CultureInfo.InvariantCulture, out n)
                && Numbered(n) == lines[i] + "\n";
            if (!whole)
            {
                Assert.True(besideGap, $"'{lines[i]}' is cut without a gap marker");
                continue;
            }
            Assert.True(n == expected || (n > expected && i > 0 && IsMarker(lines[i - 1])), $"line {n} after {expected - 1} without a gap marker");
            lost += n - expected;
            expected = n + 1;
        }
        Assert.Equal(Lines, expected);
        if (backups > 0)
            Assert.True(gaps == 0 || lost > 0, $"{gaps} gaps marked, {lost} lines lost");
    }
}
