using System.Text;
using Taskmaster.Logging;
using static Taskmaster.Tests.Logging.LogTestSupport;

namespace Taskmaster.Tests.Logging;

/// <summary>
/// The pump's flood mode (dedicated thread, large buffer, direct reads) and its way back to the calm
/// path: nothing may be lost, reordered or cut at the switches.
/// </summary>
public sealed class FloodModeTests : IDisposable
{
    private readonly string _dir = NewTempDir();

    public void Dispose() => DeleteDir(_dir);

    [Fact]
    public async Task Flood_ThenQuiet_ThenFloodAgain_ThenEof_AllLinesInOrder()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);

        var expected = new StringBuilder();
        int next = 0;
        void Burst(int lines)
        {
            var chunk = new StringBuilder();
            for (int i = 0; i < lines; i++)
                chunk.Append(Numbered(next++));
            expected.Append(chunk);
            pipe.Write(chunk.ToString());
        }

        Burst(40_000); // megabytes in one go: fills the small buffer, so the pump floods
        // Quiet long enough for the flood thread to give up, then a calm line, an unfinished one
        // across the switch, and a second flood.
        await WaitUntil(() => new FileInfo(log) is { Exists: true } f && f.Length == Encoding.UTF8.GetByteCount(expected.ToString()), "first flood written");
        await Task.Delay(TimeSpan.FromMilliseconds(400)); // lets the flood thread time out; not a synchronisation
        Burst(1);
        pipe.Write("half a line ");
        expected.Append("half a line ");
        Burst(40_000);
        pipe.CloseWriter();

        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal(expected.ToString(), ReadShared(log));
    }

    [Fact]
    public async Task Flood_WriterClosesMidFlood_TailWithoutNewlineStillWritten()
    {
        string log = Path.Combine(_dir, "out.log");
        using var logs = new ChildLogs();
        using var pipe = new TestPipe();
        logs.Attach(Process("web", File(log)), pipe.ReadEnd, null);

        var expected = new StringBuilder();
        for (int i = 0; i < 60_000; i++)
            expected.Append(Numbered(i));
        expected.Append("no newline at the end");
        pipe.Write(expected.ToString());
        pipe.CloseWriter();

        await logs.WhenAllDrained().WaitAsync(Deadline);
        Assert.Equal(expected.ToString(), ReadShared(log));
    }
}
