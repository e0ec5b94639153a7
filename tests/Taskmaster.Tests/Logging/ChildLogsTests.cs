using System.Text;
using Taskmaster.Config;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

public sealed class ChildLogsTests : IDisposable
{
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    [Fact]
    public async Task Attach_TenThousandLinesThenWriterCloses_AllLinesInFileInOrder()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);

        var expected = new StringBuilder();
        for (int i = 0; i < 10_000; i++)
            expected.Append(Numbered(i));
        // Written in odd-sized blocks, as a buffered child would, then the "child" exits.
        byte[] bytes = Encoding.UTF8.GetBytes(expected.ToString());
        for (int at = 0; at < bytes.Length; at += 3001)
            pipe.Writer.Write(bytes, at, Math.Min(3001, bytes.Length - at));
        pipe.CloseWriter();

        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal(expected.ToString(), ReadShared(log));
    }

    [Fact]
    public async Task Attach_ReturnsAtOnce_WhileChildIsStillWriting()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        var started = DateTime.UtcNow;
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);
        Assert.True(DateTime.UtcNow - started < TimeSpan.FromSeconds(5));
        Assert.False(logs.WhenAllDrained().IsCompleted);
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(1)]
    public async Task Rotation_AtMaxBytes_KeepsExactlyBackupsFilesOfWholeLines(int backups)
    {
        string log = Path.Combine(_dir, "out.log");
        const long maxBytes = 4096;
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes, backups)), pipe.ReadEnd, null);
        const int count = 5000;
        WriteNumberedLines(pipe, count, blockSize: 1777);
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);

        for (int i = 1; i <= backups; i++)
            Assert.True(System.IO.File.Exists($"{log}.{i}"), $"backup {i} missing");
        Assert.False(System.IO.File.Exists($"{log}.{backups + 1}"));
        var files = Enumerable.Range(1, backups).Reverse().Select(i => $"{log}.{i}").Append(log).ToList();
        var lines = new List<string>();
        foreach (var file in files)
        {
            string text = ReadShared(file);
            Assert.True(text.Length <= maxBytes + 64, $"{file} is {text.Length} bytes");
            Assert.EndsWith("\n", text); // no line cut at a rotation
            lines.AddRange(text.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        // What survives is a gapless run of lines that ends with the last one written.
        int first = count - lines.Count;
        for (int k = 0; k < lines.Count; k++)
            Assert.Equal(Numbered(first + k).TrimEnd('\n'), lines[k]);
    }

    [Fact]
    public async Task Rotation_WithEnoughBackups_LosesNoLine()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes: 2048, backups: 500)), pipe.ReadEnd, null);
        const int count = 10_000;
        WriteNumberedLines(pipe, count, blockSize: 65_536);
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);

        var all = new StringBuilder();
        for (int i = 500; i >= 1; i--)
        {
            if (System.IO.File.Exists($"{log}.{i}"))
                all.Append(ReadShared($"{log}.{i}"));
        }
        all.Append(ReadShared(log));
        var expected = new StringBuilder();
        for (int i = 0; i < count; i++)
            expected.Append(Numbered(i));
        Assert.Equal(expected.ToString(), all.ToString());
    }

    [Fact]
    public async Task Rotation_WithZeroBackups_TruncatesInPlace()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes: 1000, backups: 0)), pipe.ReadEnd, null);
        WriteNumberedLines(pipe, 500, blockSize: 300);
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);

        Assert.False(System.IO.File.Exists(log + ".1"));
        string text = ReadShared(log);
        Assert.InRange(text.Length, 1, 1000 + 64);
        Assert.EndsWith(Numbered(499), text);
        Assert.StartsWith("line ", text); // starts at a line boundary
    }

    [Fact]
    public async Task ReopenAll_AfterFileWasMovedAway_CreatesNewFileForLaterWrites()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);
        pipe.Write("before\n");
        await WaitUntil(() => System.IO.File.Exists(log) && ReadShared(log) == "before\n", "first line");

        System.IO.File.Move(log, log + ".moved");
        logs.ReopenAll();
        Assert.True(System.IO.File.Exists(log));
        pipe.Write("after\n");
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);

        Assert.Equal("before\n", ReadShared(log + ".moved"));
        Assert.Equal("after\n", ReadShared(log));
    }

    [Fact]
    public async Task StdoutAndStderr_IntoSameFile_InterleaveWholeLines()
    {
        string log = Path.Combine(_dir, "both.log");
        using var logs = new ChildLogs();
        using var stdout = new TestPipe();
        using var stderr = new TestPipe();
        var target = File(log, maxBytes: 8192, backups: 100);
        logs.Attach(Process("web", target, target), stdout.ReadEnd, stderr.ReadEnd);
        const int count = 3000;
        var writers = new[] { (stdout, "out"), (stderr, "err") }.Select(p => Task.Run(() =>
        {
            for (int i = 0; i < count; i++)
                p.Item1.Write($"{p.Item2} {i}\n"); // one write per line, as a line-buffered child does
            p.Item1.CloseWriter();
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(Deadline);
        await logs.WhenAllDrained().WaitAsync(Deadline);

        var lines = new List<string>();
        for (int i = 100; i >= 1; i--)
        {
            if (System.IO.File.Exists($"{log}.{i}"))
                lines.AddRange(ReadShared($"{log}.{i}").Split('\n', StringSplitOptions.RemoveEmptyEntries));
        }
        lines.AddRange(ReadShared(log).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"out {i}"), lines.Where(l => l.StartsWith("out ")));
        Assert.Equal(Enumerable.Range(0, count).Select(i => $"err {i}"), lines.Where(l => l.StartsWith("err ")));
        Assert.Equal(2 * count, lines.Count);
    }

    [Fact]
    public async Task NonSeekableTarget_Fifo_IsWrittenWithoutSeeking()
    {
        string fifo = Path.Combine(_dir, "out.fifo");
        Assert.Equal(0, Mkfifo(fifo));
        // O_RDWR opens a FIFO without waiting for a writer, so the reader exists before the capture opens it.
        using var reader = new FileStream(fifo, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
        var logger = new RecordingLogger();
        using var logs = new ChildLogs(logger);
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(fifo, maxBytes: 10, backups: 2)), pipe.ReadEnd, null);
        string text = string.Concat(Enumerable.Range(0, 100).Select(Numbered));
        pipe.Write(text);
        pipe.CloseWriter();

        var received = new MemoryStream();
        var buffer = new byte[65536];
        var readAll = Task.Run(() =>
        {
            while (received.Length < Encoding.UTF8.GetByteCount(text))
                received.Write(buffer, 0, reader.Read(buffer));
        });
        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Empty(logger.Entries.Select(e => e.Message));
        await readAll.WaitAsync(Deadline);
        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal(text, Encoding.UTF8.GetString(received.ToArray()));
        Assert.False(System.IO.File.Exists(fifo + ".1"));
    }

    [Fact]
    public async Task Clear_TruncatesFileAndRemovesBackups()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        var process = Process("web", File(log, maxBytes: 100, backups: 2));
        logs.Attach(process, pipe.ReadEnd, null);
        WriteNumberedLines(pipe, 20, blockSize: 50);
        await WaitUntil(() => System.IO.File.Exists(log + ".2"), "two rotations");
        await WaitUntil(() => ReadSharedOrEmpty(log).EndsWith(Numbered(19)), "all lines");

        logs.Clear(process);
        Assert.Equal("", ReadShared(log));
        Assert.False(System.IO.File.Exists(log + ".1"));
        Assert.False(System.IO.File.Exists(log + ".2"));

        pipe.Write("fresh\n");
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal("fresh\n", ReadShared(log));
    }

    [Fact]
    public async Task Prepare_CreatesTheMissingFilesOfEveryPipedStream_AndLeavesExistingOnesAlone()
    {
        string Log(string name) => Path.Combine(_dir, name);
        System.IO.File.WriteAllText(Log("kept.log"), "earlier run\n");
        using var logs = new ChildLogs();
        var redirected = Process("both", File(Log("both.log")), File(Log("unused.err"))) with { RedirectStderr = true };
        await logs.Prepare(
        [
            Process("kept", File(Log("kept.log"))),
            Process("split", File(Log("split.out")), File(Log("split.err"))),
            redirected,
            Process("quiet", LogTarget.Discard),
        ]).WaitAsync(Deadline);

        Assert.Equal("earlier run\n", ReadShared(Log("kept.log")));
        foreach (var made in new[] { "split.out", "split.err", "both.log" })
            Assert.Equal("", ReadShared(Log(made)));
        Assert.False(System.IO.File.Exists(Log("unused.err"))); // redirect_stderr: that stream feeds both.log
        Assert.Equal(["both.log", "kept.log", "split.err", "split.out"],
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Prepare_NeverOpensWhatExists_NotAFifoWithoutReader_NorThroughADanglingSymlink()
    {
        string fifo = Path.Combine(_dir, "out.fifo"), link = Path.Combine(_dir, "link.log"), target = Path.Combine(_dir, "elsewhere.log");
        Assert.Equal(0, Mkfifo(fifo));
        System.IO.File.CreateSymbolicLink(link, target);
        using var logs = new ChildLogs();
        // Opening the FIFO for writing would wait for a reader forever: completing at all is the point.
        await logs.Prepare([Process("piped", File(fifo)), Process("linked", File(link))]).WaitAsync(Deadline);
        Assert.False(System.IO.File.Exists(target));
    }

    [Fact]
    public void Clear_WhenNotAttached_TruncatesOnDisk()
    {
        string log = Path.Combine(_dir, "out.log");
        System.IO.File.WriteAllText(log, "old\n");
        System.IO.File.WriteAllText(log + ".1", "older\n");
        using var logs = new ChildLogs();
        logs.Clear(Process("web", File(log, maxBytes: 100, backups: 3)));
        Assert.Equal("", ReadShared(log));
        Assert.False(System.IO.File.Exists(log + ".1"));
    }

    /// <summary>Issue 27 item 9: <c>clear</c> lists the directory rather than unlinking one name per configured backup.</summary>
    [Fact]
    public void Clear_DeletesTheNumberedBackupsThatExist_WithinTheCount_AndNoOtherName()
    {
        string log = Path.Combine(_dir, "out.log");
        string[] backups = ["out.log.1", "out.log.7", "out.log.1000"];
        string[] others = ["out.log.1001", "out.log.01", "out.log.x", "out.log.-1", "other.log.1"];
        foreach (var name in (string[])["out.log", .. backups, .. others])
            System.IO.File.WriteAllText(Path.Combine(_dir, name), "x\n");
        using var logs = new ChildLogs();

        logs.Clear(Process("web", File(log, maxBytes: 100, backups: 1000)));

        Assert.Equal(((string[])["out.log", .. others]).Order(StringComparer.Ordinal),
            Directory.GetFiles(_dir).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        Assert.Equal("", ReadShared(log));
    }

    [Fact]
    public async Task UnwritableLogDirectory_DoesNotThrow_ReportsOnceAndResumesWhenWritable()
    {
        // A regular file where the directory should be makes the path unwritable even for root
        // (chmod does not stop root); replacing it with a directory makes it writable again.
        string blocker = Path.Combine(_dir, "logs");
        System.IO.File.WriteAllText(blocker, "");
        string log = Path.Combine(blocker, "out.log");
        var logger = new RecordingLogger();
        using var logs = new ChildLogs(logger) { RetryInterval = TimeSpan.FromMilliseconds(20) };
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log, maxBytes: 1000, backups: 1)), pipe.ReadEnd, null);
        for (int i = 0; i < 50; i++)
            pipe.Write($"lost {i}\n");
        await WaitUntil(() => logs.DroppedBytes > 0, "dropped bytes");
        Assert.Equal(1, logger.Count(3001));

        System.IO.File.Delete(blocker);
        Directory.CreateDirectory(blocker);
        int n = 0;
        await WaitUntil(() =>
        {
            pipe.Write($"kept {n++}\n");
            return System.IO.File.Exists(log) && ReadShared(log).Contains("kept");
        }, "writes to resume");
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);

        Assert.Equal(1, logger.Count(3001));
        Assert.Equal(1, logger.Count(3002));
        Assert.DoesNotContain("lost", ReadShared(log));
        Assert.True(logs.DroppedBytes >= 50 * "lost 0\n".Length);
    }

    [Fact]
    public async Task DiskFull_DropsAndReportsOnce()
    {
        var logger = new RecordingLogger();
        using var logs = new ChildLogs(logger);
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File("/dev/full")), pipe.ReadEnd, null);
        for (int i = 0; i < 100; i++)
            pipe.Write($"line {i}\n");
        pipe.CloseWriter();
        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal(1, logger.Count(3001));
        Assert.Contains(logger.Entries, e => e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));
        Assert.True(logs.DroppedBytes > 0);
    }

    [Fact]
    public async Task ManyIdleChildren_DoNotStarveThePool_EveryLineArrives()
    {
        // Hundreds of idle pipes must not each hold a pool thread; with blocking reads this stalls.
        const int children = 300;
        var logger = new RecordingLogger();
        using var logs = new ChildLogs(logger);
        var pipes = Enumerable.Range(0, children).Select(_ => new TestPipe()).ToList();
        try
        {
            for (int i = 0; i < children; i++)
                logs.Attach(Process($"p{i}", File(Path.Combine(_dir, $"p{i}.log"))), pipes[i].ReadEnd, null);
            for (int i = 0; i < children; i++)
                pipes[i].Write($"hello {i}\n");
            await WaitUntil(() => Enumerable.Range(0, children).All(i =>
                System.IO.File.Exists(Path.Combine(_dir, $"p{i}.log")) &&
                ReadShared(Path.Combine(_dir, $"p{i}.log")) == $"hello {i}\n"),
                () => "a line in every file; reported: " + string.Join(" | ", logger.Entries.Select(e => e.Message)));
            foreach (var pipe in pipes)
                pipe.CloseWriter();
            await logs.WhenAllDrained().WaitAsync(Deadline);
        }
        finally
        {
            foreach (var pipe in pipes)
                pipe.Dispose();
        }
    }

    private static void WriteNumberedLines(TestPipe pipe, int count, int blockSize)
    {
        var text = new StringBuilder();
        for (int i = 0; i < count; i++)
            text.Append(Numbered(i));
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        for (int at = 0; at < bytes.Length; at += blockSize)
            pipe.Writer.Write(bytes, at, Math.Min(blockSize, bytes.Length - at));
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "mkfifo")]
    private static extern int Mkfifo(string path, int mode = 0x180);
}
