using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>The loop's deadline queue: earliest first, a changed or removed deadline never fires from its old entry.</summary>
public class DeadlineQueueTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Peek_GivesTheEarliestDeadlineOfAllProcesses()
    {
        var queue = new DeadlineQueue();
        var a = new ManagedProcess(EngineHarness.Proc("a"), queue);
        var b = new ManagedProcess(EngineHarness.Proc("b"), queue);
        a.StopDeadline = T0.AddSeconds(10);
        b.StartDeadline = T0.AddSeconds(3);
        b.RetryAt = T0.AddSeconds(5);

        Assert.Equal((b, T0.AddSeconds(3)), queue.Peek());
        b.StartDeadline = null; // fired: b is re-queued with the deadline it has left
        Assert.Equal((b, T0.AddSeconds(5)), queue.Peek());
        b.ClearDeadlines();
        Assert.Equal((a, T0.AddSeconds(10)), queue.Peek());
        a.ClearDeadlines();
        Assert.Null(queue.Peek());
    }

    [Fact]
    public void MovedDeadline_OldEntryIsStale()
    {
        var queue = new DeadlineQueue();
        var a = new ManagedProcess(EngineHarness.Proc("a"), queue);
        a.StopDeadline = T0.AddSeconds(1);
        a.StopDeadline = T0.AddSeconds(7);

        Assert.Equal((a, T0.AddSeconds(7)), queue.Peek());
        Assert.Equal(1, queue.Count); // the stale entry at +1 s was dropped on the way
    }

    [Fact]
    public void ForgottenProcess_NeverComesBack()
    {
        var queue = new DeadlineQueue();
        var a = new ManagedProcess(EngineHarness.Proc("a"), queue);
        a.RetryAt = T0.AddSeconds(1);
        queue.Forget(a);
        a.Deadlines = null;

        Assert.Null(queue.Peek());
        a.RetryAt = T0.AddSeconds(2);
        Assert.Null(queue.Peek());
    }

    [Fact]
    public void StaleEntries_AreCompacted()
    {
        var queue = new DeadlineQueue();
        var a = new ManagedProcess(EngineHarness.Proc("a"), queue);
        // Later and later deadlines stay behind the live front entry... until compaction drops them.
        for (var i = 0; i < 10_000; i++) a.StopDeadline = T0.AddSeconds(10_000 - i);

        Assert.True(queue.Count <= 1024 + 2, $"{queue.Count} entries for one live deadline");
        Assert.Equal((a, T0.AddSeconds(1)), queue.Peek());
    }
}
