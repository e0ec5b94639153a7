using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Logging;
using Taskmaster.Tests.EndToEnd;
using static Taskmaster.Tests.Reliability.ReliabilityTools;

namespace Taskmaster.Tests.Security;

/// <summary>
/// Followers that do not read (issue 27 item 7): each cost ~8 MB (4 MB reads, held while the client did not take
/// them); 100 of them took the daemon from 21 MB to 2 GB, and it was not given back.
/// </summary>
public sealed class FollowMemoryTests
{
    private sealed class Never : ILogWriteNotifier
    {
        public Task WhenWritten(string path) => Task.Delay(Timeout.Infinite);
    }

    [Fact]
    public async Task Follow_FromOffsetZero_ReadsAtMost64KbAtATime()
    {
        var dir = Directory.CreateTempSubdirectory("follow-").FullName;
        try
        {
            var log = Path.Combine(dir, "big.log");
            await File.WriteAllBytesAsync(log, new byte[1 << 20]);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var sizes = new List<int>();
            await foreach (var chunk in ChildLogReader.FollowAsync(log, 0, new Never(), cts.Token))
            {
                sizes.Add(chunk.Length);
                if (sizes.Sum() == 1 << 20) break;
            }
            Assert.All(sizes, n => Assert.InRange(n, 1, 64 * 1024));
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task HundredFollowersThatNeverRead_FromOffsetZero_KeepTheDaemonWithin50MB()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:big]
            command = /bin/sh -c "yes 0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde | head -c 33554432; exec sleep 1000"
            startsecs = 0
            stdout_logfile = {dir}/big.log
            stdout_logfile_maxbytes = 1GB
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "big.log");
        await WaitUntilAsync(() => File.Exists(log) && new FileInfo(log).Length == 32L << 20, "a 32 MB log", TimeSpan.FromSeconds(120));

        var before = await SettledRssKbAsync(daemon.Pid);
        var followers = new List<Socket>();
        try
        {
            var request = Encoding.ASCII.GetBytes("GET /api/v1/processes/big/log?offset=0&follow=true HTTP/1.1\r\nHost: localhost\r\n\r\n");
            for (var i = 0; i < 100; i++)
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { ReceiveBufferSize = 4096 };
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(daemon.SocketPath));
                await socket.SendAsync(request);
                followers.Add(socket);
            }
            var held = await SettledRssKbAsync(daemon.Pid);

            Assert.True(held - before < 50 * 1024, $"RSS grew by {(held - before) / 1024} MB with 100 idle followers ({before / 1024} MB before)");
            Assert.Contains("big", (await daemon.CtlAsync("status")).Stdout);
        }
        finally
        {
            foreach (var f in followers) f.Dispose();
        }
    }

    /// <summary>VmRSS once it has not moved by more than 512 KB for a second (at most 30 s).</summary>
    private static async Task<long> SettledRssKbAsync(int pid)
    {
        var clock = Stopwatch.StartNew();
        var last = RssKb(pid);
        var stableSince = clock.Elapsed;
        while (clock.Elapsed < TimeSpan.FromSeconds(30) && clock.Elapsed - stableSince < TimeSpan.FromSeconds(1))
        {
            await Task.Delay(100);
            var now = RssKb(pid);
            if (Math.Abs(now - last) > 512) stableSince = clock.Elapsed;
            last = now;
        }
        return last;
    }

    private static long RssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
}
