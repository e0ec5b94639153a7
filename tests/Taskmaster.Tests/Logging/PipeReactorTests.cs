using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Taskmaster.Config;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

/// <summary>
/// The pipe reactor: one thread and one epoll set drain every calm pipe; a flooding pipe leaves for a thread
/// of its own and comes back; EOF writes what was held back; many pipes cost no thread or buffer each.
/// </summary>
public sealed class PipeReactorTests : IDisposable
{
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    [Fact]
    public async Task ManyPipesAtOnce_AllDrainedCompletelyIntoTheirOwnFiles()
    {
        const int count = 300;
        using var logs = new ChildLogs();
        var pipes = Enumerable.Range(0, count).Select(_ => new TestPipe()).ToArray();
        try
        {
            for (int i = 0; i < count; i++)
                logs.Attach(Process($"p{i}", File(Path.Combine(_dir, $"p{i}.log"))), pipes[i].ReadEnd, null);
            // Interleaved writes, so that the reactor sees many pipes ready in one wait.
            for (int line = 0; line < 20; line++)
                for (int i = 0; i < count; i++)
                    pipes[i].Write($"p{i} " + Numbered(line));
            foreach (var pipe in pipes)
                pipe.CloseWriter();

            await logs.WhenAllDrained().WaitAsync(Deadline);
            for (int i = 0; i < count; i++)
            {
                string expected = string.Concat(Enumerable.Range(0, 20).Select(line => $"p{i} " + Numbered(line)));
                Assert.Equal(expected, ReadShared(Path.Combine(_dir, $"p{i}.log")));
            }
        }
        finally
        {
            foreach (var pipe in pipes)
                pipe.Dispose();
        }
    }

    [Fact]
    public async Task FloodingPipe_GoesToItsOwnThread_ThenComesBackCalm()
    {
        string log = Path.Combine(_dir, "out.log");
        using var file = NewFile(log);
        using var pipe = new TestPipe();
        var captured = OutputPump.Start(pipe.ReadEnd, file, "flood", NullLogger.Instance);
        await WaitUntil(() => captured.Slot >= 0, "the pipe registered with the reactor");

        var expected = new StringBuilder();
        var flood = new StringBuilder();
        for (int i = 0; i < 40_000; i++)
            flood.Append(Numbered(i));
        expected.Append(flood);
        await Task.Run(() => pipe.Write(flood.ToString())); // megabytes: blocks until drained
        await WaitUntil(() => captured.FloodEpisodes >= 1 && captured.Slot >= 0, () => $"back in the reactor after the flood (episodes {captured.FloodEpisodes}, slot {captured.Slot})");
        int episodes = captured.FloodEpisodes; // more than one if the writer stalled past the quiet time

        pipe.Write("calm again\n");
        expected.Append("calm again\n");
        await WaitUntil(() => ReadShared(log).EndsWith("calm again\n", StringComparison.Ordinal), "the calm line");
        Assert.Equal(episodes, captured.FloodEpisodes);
        pipe.CloseWriter();

        await captured.Completion.WaitAsync(Deadline);
        Assert.Equal(expected.ToString(), ReadShared(log));
    }

    [Fact]
    public async Task Eof_InTheReactor_WithAnUnfinishedLineHeldBack_WritesIt()
    {
        string log = Path.Combine(_dir, "out.log");
        using var file = NewFile(log);
        using var pipe = new TestPipe(); // 64 KB, the reactor's buffer size
        // Exactly one buffer, ending in an unfinished line, in the pipe before the capture starts: the
        // reactor's first read fills its buffer, so it holds the unfinished line back and hands the pipe to
        // a flood thread; that one finds nothing more, and after the quiet time gives the pipe back to the
        // reactor with the line still held.
        const string unfinished = "an unfinished line";
        var text = new StringBuilder();
        for (int i = 0; text.Length + 200 < PipeReactor.ScratchBytes; i++)
            text.Append(Numbered(i)); // ASCII: characters are bytes
        text.Append('y', PipeReactor.ScratchBytes - text.Length - unfinished.Length - 1).Append('\n').Append(unfinished);
        Assert.Equal(PipeReactor.ScratchBytes, text.Length);
        pipe.Write(text.ToString());

        var captured = OutputPump.Start(pipe.ReadEnd, file, "tail", NullLogger.Instance);
        await WaitUntil(() => captured.FloodEpisodes == 1 && captured.Slot >= 0, "back in the reactor after the flood");
        Assert.Equal(text.ToString()[..^unfinished.Length], ReadShared(log));

        pipe.CloseWriter();
        await captured.Completion.WaitAsync(Deadline);
        Assert.Equal(text.ToString(), ReadShared(log));
    }

    [Fact]
    public async Task ArrivalsFromManyThreadsAtOnce_NoneIsLeftWaiting()
    {
        // Registrations race the reactor taking earlier ones: a lost poke leaves a pipe unread, its
        // writer blocked and its capture never complete.
        using var logs = new ChildLogs();
        const int threads = 8, perThread = 100;
        var pipes = Enumerable.Range(0, threads * perThread).Select(_ => new TestPipe()).ToArray();
        try
        {
            for (int round = 0; round < 5; round++)
            {
                var batch = pipes.Skip(round * pipes.Length / 5).Take(pipes.Length / 5).ToArray();
                await Task.WhenAll(Enumerable.Range(0, threads).Select(t => Task.Run(() =>
                {
                    foreach (var pipe in batch.Where((_, i) => i % threads == t))
                    {
                        logs.Attach(Process("p", LogTarget.Discard), pipe.ReadEnd, null);
                        pipe.Write("hello\n");
                        pipe.CloseWriter();
                    }
                })));
                await logs.WhenAllDrained().WaitAsync(Deadline);
            }
        }
        finally
        {
            foreach (var pipe in pipes)
                pipe.Dispose();
        }
    }

    [Fact]
    public async Task AThousandPipes_ShareOneThread()
    {
        const int count = 1000;
        using var logs = new ChildLogs();
        var pipes = Enumerable.Range(0, count).Select(_ => new TestPipe()).ToArray();
        try
        {
            int threadsBefore = ThreadCount();
            for (int i = 0; i < count; i++)
                logs.Attach(Process($"p{i}", LogTarget.Discard), pipes[i].ReadEnd, null);
            var reactor = PipeReactor.TryGetShared()!;
            await WaitUntil(() => reactor.Watched >= count, () => $"all pipes watched ({reactor.Watched})");
            // Other tests run alongside and may start threads; one per pipe would be a thousand.
            int added = ThreadCount() - threadsBefore;
            Assert.True(added < 50, $"{added} threads for {count} idle pipes");

            foreach (var pipe in pipes)
            {
                pipe.Write("bye\n");
                pipe.CloseWriter();
            }
            await logs.WhenAllDrained().WaitAsync(Deadline);
        }
        finally
        {
            foreach (var pipe in pipes)
                pipe.Dispose();
        }
    }

    private static RotatingLogFile NewFile(string path) =>
        new(path, maxBytes: 0, backups: 0, NullLogger.Instance, new LogWriteSignal());

    private static int ThreadCount() =>
        int.Parse(System.IO.File.ReadLines("/proc/self/status").First(l => l.StartsWith("Threads:", StringComparison.Ordinal))["Threads:".Length..].Trim());
}
