using Taskmaster.Daemon.Control;

namespace Taskmaster.Tests.Control;

/// <summary>Issue 27 item 7: the memory of a burst of followers is handed back once the last has left, once.</summary>
public sealed class FollowBurstTests
{
    [Fact]
    public void ABurstOfFollowers_TrimsOnce_WhenTheLastLeaves()
    {
        var trims = 0;
        var burst = new FollowBurst(3, () => trims++);
        var followers = Enumerable.Range(0, 3).Select(_ => burst.Enter()).ToList();
        followers[0].Dispose();
        followers[0].Dispose(); // leaving twice is leaving once
        followers[1].Dispose();
        Assert.Equal(0, trims);
        followers[2].Dispose();
        Assert.Equal(1, trims);
    }

    [Fact]
    public void FollowersThatNeverMakeABurst_NeverTrim()
    {
        var trims = 0;
        var burst = new FollowBurst(3, () => trims++);
        for (var i = 0; i < 10; i++)
        {
            using var a = burst.Enter();
            using var b = burst.Enter();
        }
        Assert.Equal(0, trims);
    }

    [Fact]
    public void AfterATrim_OnlyANewBurstTrimsAgain()
    {
        var trims = 0;
        var burst = new FollowBurst(2, () => trims++);
        using (burst.Enter()) using (burst.Enter()) { }
        using (burst.Enter()) { }
        Assert.Equal(1, trims);
        using (burst.Enter()) using (burst.Enter()) { }
        Assert.Equal(2, trims);
    }
}
