using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

/// <summary>
/// A flooding pump (dedicated thread, megabyte reads) feeding a rotated file: every byte lands, in order,
/// across many rotations that cut at line boundaries and keep their sizes; two flooding streams sharing a
/// file keep whole lines; a full disk runs the usual error episode and the pump still drains to EOF.
/// </summary>
public sealed class FloodIntoFileTests : IDisposable
{
    private const long MaxBytes = 2 * 1024 * 1024;
    private const int Backups = 100;
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    [Fact]
    public async Task Flood_AcrossRotations_EveryLineLandsWholeInOrder()
    {
        string log = Path.Combine(_dir, "out.log");
        using var file = NewFile(log, MaxBytes);
        using var pipe = new TestPipe(capacity: 1024 * 1024);
        var pump = OutputPump.RunAsync(pipe.ReadEnd, file, "flood", NullLogger.Instance);

        string expected = await Task.Run(() => WriteNumberedBlocks(pipe, "", lines: 300_000, blockBytes: 64 * 1024));
        await pump.WaitAsync(Deadline);

        var generations = Generations(log);
        Assert.True(generations.Count > 3, $"only {generations.Count} files: no rotation was crossed");
        Assert.Equal(expected, string.Concat(generations.Select(ReadShared)));
        foreach (var rotated in generations.SkipLast(1))
        {
            var text = ReadShared(rotated);
            Assert.EndsWith("\n", text, StringComparison.Ordinal);
            Assert.InRange(text.Length, 1, MaxBytes + RotatingLogFile.LineSlack);
        }
        Assert.Equal(0, file.DroppedBytes);
    }

    [Fact]
    public async Task TwoFloodingStreams_IntoOneFile_KeepEveryLineWholeAndInOrder()
    {
        string log = Path.Combine(_dir, "both.log");
        using var file = NewFile(log, MaxBytes);
        using var stdout = new TestPipe(capacity: 1024 * 1024);
        using var stderr = new TestPipe(capacity: 1024 * 1024);
        var pumps = new[]
        {
            OutputPump.RunAsync(stdout.ReadEnd, file, "both", NullLogger.Instance),
            OutputPump.RunAsync(stderr.ReadEnd, file, "both", NullLogger.Instance),
        };
        // Blocks of whole lines no longer than PIPE_BUF, as a child's stdio writes them: each one atomic.
        var writers = new[]
        {
            Task.Run(() => WriteNumberedBlocks(stdout, "out ", lines: 100_000, blockBytes: 4096)),
            Task.Run(() => WriteNumberedBlocks(stderr, "err ", lines: 100_000, blockBytes: 4096)),
        };
        var expected = await Task.WhenAll(writers).WaitAsync(Deadline);
        await Task.WhenAll(pumps).WaitAsync(Deadline);

        var lines = string.Concat(Generations(log).Select(ReadShared)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(expected[0].Split('\n', StringSplitOptions.RemoveEmptyEntries), lines.Where(l => l.StartsWith("out ", StringComparison.Ordinal)));
        Assert.Equal(expected[1].Split('\n', StringSplitOptions.RemoveEmptyEntries), lines.Where(l => l.StartsWith("err ", StringComparison.Ordinal)));
        Assert.Equal(200_000, lines.Length);
    }

    [Fact]
    public async Task Flood_IntoFullDisk_DropsCountsReportsOnce_AndDrainsToEof()
    {
        string mount = Path.Combine(_dir, "small");
        Directory.CreateDirectory(mount);
        Assert.Equal(0, Run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", mount));
        try
        {
            var logger = new RecordingLogger();
            long written;
            using (var file = new RotatingLogFile(Path.Combine(mount, "out.log"), 0, 0, logger, new LogWriteSignal()))
            using (var pipe = new TestPipe(capacity: 1024 * 1024))
            {
                var pump = OutputPump.RunAsync(pipe.ReadEnd, file, "flood", logger);
                string sent = await Task.Run(() => WriteNumberedBlocks(pipe, "", lines: 100_000, blockBytes: 64 * 1024));
                await pump.WaitAsync(Deadline);

                // What landed is the start of what was sent, and every other byte was counted as dropped (a
                // write cut short by the full disk counts its landed part as dropped too, hence >=).
                string landed = ReadShared(Path.Combine(mount, "out.log"));
                written = landed.Length;
                Assert.Equal(sent[..landed.Length], landed);
                Assert.True(written + file.DroppedBytes >= sent.Length, $"{written} written + {file.DroppedBytes} dropped < {sent.Length} sent");
                Assert.True(file.DroppedBytes > 0, "nothing was dropped: the disk never filled");
            }
            Assert.Equal(1, logger.Count(3001));
            Assert.Contains(logger.Entries, e => e.Message.Contains("No space left", StringComparison.OrdinalIgnoreCase));
            Assert.True(written > 0);
        }
        finally
        {
            Run("umount", "-l", mount);
        }
    }

    private RotatingLogFile NewFile(string path, long maxBytes) =>
        new(path, maxBytes, Backups, NullLogger.Instance, new LogWriteSignal());

    /// <summary>Writes numbered lines in blocks of whole lines up to <paramref name="blockBytes"/>, closes the
    /// writer, and returns everything written.</summary>
    private static string WriteNumberedBlocks(TestPipe pipe, string prefix, int lines, int blockBytes)
    {
        var all = new StringBuilder();
        var block = new StringBuilder();
        for (int i = 0; i < lines; i++)
        {
            string line = prefix + Numbered(i);
            if (block.Length + line.Length > blockBytes)
            {
                pipe.Write(block.ToString());
                block.Clear();
            }
            block.Append(line);
            all.Append(line);
        }
        pipe.Write(block.ToString());
        pipe.CloseWriter();
        return all.ToString();
    }

    /// <summary>path.N … path.1, path: oldest first.</summary>
    private static List<string> Generations(string path)
    {
        var files = new List<string>();
        for (int i = Backups; i >= 1; i--)
        {
            if (System.IO.File.Exists($"{path}.{i}"))
                files.Add($"{path}.{i}");
        }
        files.Add(path);
        return files;
    }

    private static int Run(string file, params string[] args)
    {
        var psi = new System.Diagnostics.ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = System.Diagnostics.Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode;
    }
}
