using System.Text;
using Taskmaster.Events;
using Taskmaster.Supervision.Eventing;
using Taskmaster.Supervision.Listeners;

namespace Taskmaster.Tests.Events;

/// <summary>The pieces of supervisor's listener protocol, without processes: parsing, queueing, envelope, ticks, capture.</summary>
public class ListenerProtocolTests
{
    private static SupervisorEvent Event(string payload = "x", EventType type = EventType.Tick5, long serial = 0) =>
        new(type, payload, null, null, DateTimeOffset.UnixEpoch) { Serial = serial };

    private static List<ListenerResult> Feed(ListenerChannel channel, string text)
    {
        var steps = new List<ListenerResult>();
        channel.Feed(Encoding.UTF8.GetBytes(text), (r, _, _) => steps.Add(r));
        return steps;
    }

    [Fact]
    public void Ready_ThenOk_AcceptsAndWantsReadyAgain()
    {
        var channel = new ListenerChannel();
        Assert.Equal([ListenerResult.Ready], Feed(channel, "READY\n"));
        Assert.Equal(ListenerState.Ready, channel.State);
        channel.Sent(Event(), 0);
        Assert.Equal(ListenerState.Busy, channel.State);
        Assert.Empty(Feed(channel, "RESULT 2\nO"));
        Assert.Equal([ListenerResult.Accepted, ListenerResult.Ready], Feed(channel, "KREADY\n"));
        Assert.Null(channel.InFlight);
    }

    [Fact]
    public void Fail_RejectsTheEventItHeld()
    {
        var channel = new ListenerChannel();
        Feed(channel, "READY\n");
        var sent = Event();
        channel.Sent(sent, 7);
        (SupervisorEvent Event, long PoolSerial)? rejected = null;
        channel.Feed("RESULT 4\nFAIL"u8, (r, _, e) => { if (r == ListenerResult.Rejected) rejected = e; });
        Assert.Equal((sent, 7L), rejected);
        Assert.Equal(ListenerState.Acknowledged, channel.State);
    }

    [Theory]
    [InlineData("READX\n")]
    [InlineData("READY\nextra")]
    public void Garbage_MakesTheListenerUnknown(string text)
    {
        var channel = new ListenerChannel();
        Assert.Contains(ListenerResult.ProtocolError, Feed(channel, text));
        Assert.Equal(ListenerState.Unknown, channel.State);
        Assert.Empty(Feed(channel, "READY\n"));
    }

    [Fact]
    public void ResultOfLengthZero_RejectsAtOnce_WithoutWaitingForMoreBytes()
    {
        var channel = new ListenerChannel();
        Feed(channel, "READY\n");
        channel.Sent(Event(), 3);
        Assert.Equal([ListenerResult.Rejected], Feed(channel, "RESULT 0\n"));
        Assert.Equal(ListenerState.Acknowledged, channel.State);
        Assert.Null(channel.InFlight);
    }

    [Fact]
    public void HugeResult_IsCountedNotKept_AndAnOkBodyOfThatSizeIsStillARejection()
    {
        var channel = new ListenerChannel();
        Feed(channel, "READY\n");
        channel.Sent(Event(), 0);
        var steps = new List<ListenerResult>();
        channel.Feed("RESULT 10000002\nOK"u8, (r, _, _) => steps.Add(r));
        var chunk = new byte[64 * 1024];
        for (var left = 10_000_000; left > 0; left -= chunk.Length)
        {
            channel.Feed(chunk.AsSpan(0, Math.Min(left, chunk.Length)), (r, _, _) => steps.Add(r));
            Assert.True(channel.Buffered <= chunk.Length, $"{channel.Buffered} bytes held");
        }
        Assert.Equal([ListenerResult.Rejected], steps);
    }

    [Fact]
    public void ResultLineWithoutItsEnd_IsAProtocolErrorOnceLongerThanAnyRealOne()
    {
        var channel = new ListenerChannel();
        Feed(channel, "READY\n");
        channel.Sent(Event(), 5);
        Assert.Empty(Feed(channel, "RESULT "));
        Assert.Equal([ListenerResult.ProtocolError], Feed(channel, new string('9', ListenerChannel.MaxResultLine)));
        Assert.Equal(0, channel.Buffered);
    }

    [Fact]
    public void BadResultLine_GivesTheEventBack()
    {
        var channel = new ListenerChannel();
        Feed(channel, "READY\n");
        channel.Sent(Event(), 0);
        (SupervisorEvent, long)? held = null;
        channel.Feed("RESULT two\n"u8, (r, _, e) => held = e);
        Assert.NotNull(held);
        Assert.Equal(ListenerState.Unknown, channel.State);
    }

    [Fact]
    public void Pool_DropsTheOldestBeyondItsSize_AndRequeuesAtTheHead()
    {
        var pool = new ListenerPool("p") { Capacity = 2 };
        Assert.Null(pool.Accept(Event(serial: 0)));
        Assert.Null(pool.Accept(Event(serial: 1)));
        Assert.Equal(0, pool.Accept(Event(serial: 2)));
        Assert.True(pool.TryTake(out var first));
        Assert.Equal((1L, 1L), (first.Event.Serial, first.PoolSerial));
        pool.Requeue(first);
        Assert.True(pool.TryTake(out var again));
        Assert.Equal(1, again.PoolSerial);
    }

    [Fact]
    public void Envelope_CountsCharactersNotBytes()
    {
        var text = Encoding.UTF8.GetString(ListenerEnvelope.For(Event("héllo 😀", EventType.ProcessLogStdout, 5), 3, "supervisor", "mon"));
        Assert.Equal("ver:3.0 server:supervisor serial:5 pool:mon poolserial:3 eventname:PROCESS_LOG_STDOUT len:7\nhéllo 😀", text);
    }

    [Fact]
    public void Ticks_FireOnlyWhenTheSliceRollsOver_AndNotAtAll_WhenNobodyWantsThem()
    {
        var clock = new TickClock();
        var start = DateTimeOffset.FromUnixTimeSeconds(1_000_003);
        clock.Follow(EventType.None, start);
        Assert.Null(clock.Next);
        clock.Follow(EventType.Tick5 | EventType.Tick60, start);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_000_005), clock.Next);
        var fired = new List<(EventType, long)>();
        clock.Fire(start.AddSeconds(1), (t, w) => fired.Add((t, w)));
        Assert.Empty(fired);
        clock.Fire(DateTimeOffset.FromUnixTimeSeconds(1_000_020), (t, w) => fired.Add((t, w)));
        Assert.Equal([(EventType.Tick5, 1_000_020L), (EventType.Tick60, 1_000_020L)], fired);
        clock.Follow(EventType.None, start);
        Assert.Null(clock.Next);
    }

    [Fact]
    public void Capture_FindsBlocksAcrossCutTokens_AndLeavesOnlyTheTokensOutOfTheText()
    {
        var capture = new CommunicationCapture(1024);
        var outside = new StringBuilder();
        var blocks = new List<string>();
        foreach (var piece in new[] { "hello\n<!--XSUPER", "VISOR:BEGIN-->pi", "ng<!--XSUPERVISOR:E", "ND-->bye\n" })
            capture.Feed(Encoding.UTF8.GetBytes(piece), b => outside.Append(Encoding.UTF8.GetString(b)), b => blocks.Add(Encoding.UTF8.GetString(b)));
        Assert.Equal("hello\npingbye\n", outside.ToString());
        Assert.Equal(["ping"], blocks);
    }

    [Fact]
    public void Capture_KeepsTheLastMaxBytesOfABlock()
    {
        var capture = new CommunicationCapture(3);
        var blocks = new List<string>();
        capture.Feed("<!--XSUPERVISOR:BEGIN-->abcdef<!--XSUPERVISOR:END-->"u8, _ => { }, b => blocks.Add(Encoding.UTF8.GetString(b)));
        Assert.Equal(["def"], blocks);
    }

    [Fact]
    public void Bus_BuildsNothingForATypeNobodyWants()
    {
        var bus = new EventBus();
        Assert.False(bus.Wants(EventType.ProcessStateRunning));
        var got = new List<SupervisorEvent>();
        bus.SetPools(EventType.ProcessState, got.Add);
        Assert.True(bus.Wants(EventType.ProcessStateRunning));
        Assert.False(bus.Wants(EventType.Tick5));
        bus.Publish(Event(type: EventType.ProcessStateRunning, serial: -1));
        bus.Publish(Event(type: EventType.ProcessStateExited, serial: -1));
        Assert.Equal([0L, 1L], got.Select(e => e.Serial));
    }
}
