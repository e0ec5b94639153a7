// Issue 17 item 3: a listener never hurts the engine. A listener that never answers keeps one event and lets its
// pool's queue overflow (oldest dropped, logged), while programs keep being supervised; a listener that dies
// holding an event is restarted by its policy and gets that event again, with the same serials.
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Listeners;

public sealed class ListenerRobustnessTests
{
    [Fact]
    public async Task ListenerThatNeverAnswers_OverflowsItsOwnQueue_AndSupervisionGoesOn()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [eventlistener:deaf]
            command = {fixtures}/never_answers.sh
            events = PROCESS_STATE
            buffer_size = 2
            startsecs = 0

            [program:churn]
            command = {fixtures}/exit_with.sh 0
            startsecs = 0
            autorestart = true
            """);
        await daemon.StartAsync();
        await daemon.WaitForOutputAsync("pool deaf event buffer overflowed, discarding event");
        // churn keeps being restarted: ten more spawns after the overflow began.
        var spawnsBefore = Count(daemon.Output, "spawned: 'churn'");
        Assert.True(await ProcFs.Until(() => Count(daemon.Output, "spawned: 'churn'") >= spawnsBefore + 10, TimeSpan.FromSeconds(60)), daemon.Output);
        var status = await daemon.CtlAsync("status", "deaf");
        Assert.Contains("RUNNING", status.Stdout);
    }

    [RequiresFact(Requirement.Supervisor)]
    public async Task ListenerThatDiesHoldingAnEvent_IsRestarted_AndGetsTheSameEventAgain()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [eventlistener:rec]
            command = /usr/bin/python3 {fixtures}/record_events.py {dir}/events.log die-first
            events = PROCESS_GROUP
            autorestart = true
            startsecs = 0
            """);
        await daemon.StartAsync();
        var log = Path.Combine(daemon.Dir, "events.log");
        Assert.True(await ProcFs.Until(() => File.Exists(log) && File.ReadAllLines(log).Length >= 2, TimeSpan.FromSeconds(60)), daemon.Output);
        var lines = File.ReadAllLines(log);
        Assert.Equal("0 0 PROCESS_GROUP_ADDED groupname:rec ''", lines[0]);
        Assert.Equal(lines[0], lines[1]);
        Assert.Contains("exited: rec (exit status 1; not expected)", daemon.Output);
    }

    private static int Count(string text, string what) =>
        (text.Length - text.Replace(what, "", StringComparison.Ordinal).Length) / what.Length;
}
