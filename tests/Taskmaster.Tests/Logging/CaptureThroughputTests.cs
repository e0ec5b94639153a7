using System.Diagnostics;
using Taskmaster.Logging;
using Xunit.Abstractions;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

/// <summary>Measures pipe-to-file capture against <c>cat</c> doing the same copy in the same run.
/// Asserts only completeness; the figures go to the test output (run with --logger "console;verbosity=detailed").</summary>
public sealed class CaptureThroughputTests(ITestOutputHelper output) : IDisposable
{
    private const int Block = 64 * 1024;
    private const long Total = 256L * 1024 * 1024;
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    [Fact]
    public async Task Throughput_YesLikeFlood_IsCompleteAndReportedAgainstCat()
    {
        byte[] block = new byte[Block];
        for (int i = 0; i < Block; i += 2)
        {
            block[i] = (byte)'y';
            block[i + 1] = (byte)'\n';
        }

        // Ours, with supervisord's default rotation (50 MB, 10 backups).
        string log = Path.Combine(_dir, "capture.log");
        var ours = Stopwatch.StartNew();
        using (var logs = new ChildLogs())
        using (var pipe = new TestPipe(capacity: 1024 * 1024))
        {
            logs.Attach(Process("yes", File(log, 50L * 1024 * 1024, 10)), pipe.ReadEnd, null);
            await Task.Run(() =>
            {
                for (long sent = 0; sent < Total; sent += Block)
                    pipe.Writer.Write(block);
                pipe.CloseWriter();
            });
            await logs.WhenAllDrained().WaitAsync(Deadline);
        }
        ours.Stop();
        long captured = Directory.GetFiles(_dir, "capture.log*").Sum(f => new FileInfo(f).Length);
        Assert.Equal(Total, captured);

        // cat reading the same bytes from a pipe into a file.
        string catOut = Path.Combine(_dir, "cat.out");
        var cat = Stopwatch.StartNew();
        var psi = new ProcessStartInfo("/bin/sh", ["-c", $"exec cat > '{catOut}'"]) { RedirectStandardInput = true };
        using (var process = System.Diagnostics.Process.Start(psi)!)
        {
            try
            {
                var stdin = process.StandardInput.BaseStream;
                await Task.Run(() =>
                {
                    for (long sent = 0; sent < Total; sent += Block)
                        stdin.Write(block);
                    stdin.Close();
                });
                await process.WaitForExitAsync().WaitAsync(Deadline);
            }
            finally
            {
                if (!process.HasExited)
                    process.Kill();
            }
        }
        cat.Stop();
        Assert.Equal(Total, new FileInfo(catOut).Length);

        double mb = Total / (1024.0 * 1024.0);
        output.WriteLine($"capture: {mb / ours.Elapsed.TotalSeconds:F0} MB/s ({ours.Elapsed.TotalMilliseconds:F0} ms), " +
                         $"cat: {mb / cat.Elapsed.TotalSeconds:F0} MB/s ({cat.Elapsed.TotalMilliseconds:F0} ms), " +
                         $"ratio {cat.Elapsed.TotalSeconds / ours.Elapsed.TotalSeconds:F2}x of cat");
    }
}
