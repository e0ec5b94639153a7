// Issue 22 item 3, the event-listener protocol: what a listener writes is the daemon's input, so it is fuzzed like the
// HTTP doors. Random conversations (READY, results of any declared length, OK/FAIL/garbage bodies, garbage lines,
// partial lines, huge results, silence) are fed to the protocol parser in random pieces while events are sent to it
// whenever it is READY. Checks: no exception; every event sent comes back exactly once (accepted, rejected, given back
// on a protocol error) or is still held; and the parser never holds more than one read plus a result line's worth of
// bytes, whatever the listener writes. TASKMASTER_FUZZ_REQUESTS sets how many conversations (default 100,000);
// TASKMASTER_FUZZ_SEED replays a run.
using System.Text;
using Taskmaster.Events;
using Taskmaster.Supervision.Listeners;
using Xunit.Abstractions;

namespace Taskmaster.Tests.Listeners;

public sealed class ListenerProtocolFuzzTests(ITestOutputHelper output)
{
    private const int ReadSize = 64 * 1024; // the most the capture hands over at once

    private static readonly string[] Pieces =
    [
        "READY\n", "READY\n", "RESULT 2\nOK", "RESULT 2\nOK", "RESULT 4\nFAIL", "RESULT 0\n", "RESULT 2\nok", "RESULT 3\nOK!",
        "RESULT -1\n", "RESULT 99999999999\n", "RESULT x\n", "RESULT\n", "RESUL", "T 2\nO", "K", "\n", "READY", "garbage\n",
        "\0\0\0", "READY\r\n", "RESULT  2 \nOK", "RESULT +2\nOK", "RESULT 2\nOKREADY\n", "é", "\uFFFD",
    ];

    [Fact]
    public void RandomConversations_NeverThrow_ReturnEveryEventOnce_AndHoldBoundedMemory()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_REQUESTS"), out var n) ? n : 100_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        var random = new Random(seed);
        long bytes = 0, sent = 0, accepted = 0, rejected = 0, errors = 0;
        var maxHeld = 0;
        for (var conversation = 0; conversation < total; conversation++)
        {
            var channel = new ListenerChannel();
            var outstanding = new HashSet<long>();
            long serial = 0;
            void Step(ListenerResult result, string? why, (SupervisorEvent Event, long PoolSerial)? entry)
            {
                if (result == ListenerResult.Accepted) accepted++;
                if (result == ListenerResult.Rejected) rejected++;
                if (result == ListenerResult.ProtocolError)
                {
                    errors++;
                    Assert.False(string.IsNullOrEmpty(why), $"seed {seed}: a protocol error without a reason");
                }
                if (entry is { } e)
                    Assert.True(outstanding.Remove(e.PoolSerial), $"seed {seed}: event {e.PoolSerial} came back twice or was never sent");
            }
            foreach (var segment in Conversation(random))
            {
                // The daemon sends an event once the listener is READY (now and then it has none to send).
                if (channel.State == ListenerState.Ready && random.Next(20) != 0)
                {
                    channel.Sent(new SupervisorEvent(EventType.Tick5, "x", null, null, DateTimeOffset.UnixEpoch) { Serial = serial }, serial);
                    outstanding.Add(serial++);
                    sent++;
                }
                bytes += segment.Length;
                for (var at = 0; at < segment.Length;)
                {
                    var piece = Math.Min(segment.Length - at, random.Next(3) == 0 ? random.Next(1, 8) : random.Next(1, ReadSize));
                    channel.Feed(segment.AsSpan(at, piece), Step);
                    at += piece;
                    maxHeld = Math.Max(maxHeld, channel.Buffered);
                    Assert.True(channel.Buffered <= ReadSize + ListenerChannel.MaxResultLine,
                        $"seed {seed}: the parser holds {channel.Buffered} bytes");
                }
            }
            // Whatever is not answered is still held (one event at most), or was given back.
            Assert.True(outstanding.Count <= 1, $"seed {seed}: {outstanding.Count} events neither answered nor held");
            if (outstanding.Count == 1)
                Assert.Equal(outstanding.Single(), channel.TakeBack()?.PoolSerial);
        }
        output.WriteLine($"listener protocol fuzz: {total} conversations, {bytes >> 20} MB, {sent} events sent, {accepted} accepted, " +
                         $"{rejected} rejected, {errors} protocol errors; at most {maxHeld} bytes held; seed {seed}");
        Assert.True(accepted > 0 && rejected > 0 && errors > 0, $"seed {seed}: the fuzz missed a path");
    }

    /// <summary>
    /// What one listener writes: turns of READY and a result, most of them well formed (OK, FAIL, other bodies), some
    /// broken (a piece left out or repeated, garbage, random bytes), now and then a huge result or a line that never
    /// ends; the conversation may stop anywhere (a listener that never answers).
    /// </summary>
    private static List<byte[]> Conversation(Random random)
    {
        var segments = new List<byte[]>();
        void Add(string text) => segments.Add(Encoding.UTF8.GetBytes(text));
        var turns = random.Next(1, 12);
        for (var i = 0; i < turns; i++)
        {
            Add(random.Next(30) == 0 ? Pieces[random.Next(Pieces.Length)] : "READY\n");
            switch (random.Next(40))
            {
                case 0: // a huge result, declared and sent
                    if (random.Next(25) != 0) goto default;
                    var size = random.Next(70_000, 300_000);
                    segments.Add([.. Encoding.ASCII.GetBytes($"RESULT {size}\n"), .. new byte[size]]);
                    break;
                case 1: // a line that never ends
                    if (random.Next(25) != 0) goto default;
                    Add("RESULT " + new string('7', random.Next(10, 100_000)));
                    return segments;
                case 2: // random bytes
                    var junk = new byte[random.Next(1, 64)];
                    random.NextBytes(junk);
                    segments.Add(junk);
                    break;
                case 3: case 4: case 5: // a protocol piece, in or out of place
                    Add(Pieces[random.Next(Pieces.Length)]);
                    break;
                case 6: // silence: the listener never answers
                    return segments;
                default:
                    var body = random.Next(4) switch { 0 => "FAIL", 1 => "", 2 => "OK ", _ => "OK" };
                    if (random.Next(3) != 0) body = "OK";
                    Add($"RESULT {Encoding.UTF8.GetByteCount(body)}\n{body}");
                    break;
            }
        }
        return segments;
    }
}
