// Issue 17: a listener written with supervisor's childutils hears the same events from taskmasterd as from
// supervisord 4.2.5. One file runs under both (SideBySide); the listener (tests/fixtures/record_events.py) writes
// every event it gets to events.log beside each daemon's configuration, and the two logs are compared process by
// process: the order of events about one process is the protocol's promise, while how two processes' events
// interleave depends on timing.
using Taskmaster.Tests.Conformance;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Listeners;

public sealed class ListenerConformanceTests
{
    private const string Programs = """
        [eventlistener:rec]
        command = /usr/bin/python3 {fixtures}/record_events.py %(here)s/events.log fail-first
        events = PROCESS_STATE,PROCESS_LOG,PROCESS_COMMUNICATION,PROCESS_GROUP,SUPERVISOR_STATE_CHANGE
        buffer_size = 200
        startsecs = 0

        [program:web]
        command = {fixtures}/sleep_forever.sh
        startsecs = 1

        [program:crash]
        command = {fixtures}/crash_once.sh %(here)s/crashed
        startsecs = 0

        ; startsecs = 10: supervisord, which may look only once a second, must not count it as up on a loaded machine
        [program:doomed]
        command = {fixtures}/exit_with.sh 1
        startsecs = 10
        startretries = 1

        [program:talk]
        command = {fixtures}/talk_events.sh
        startsecs = 0
        stdout_events_enabled = true
        stdout_capture_maxbytes = 1KB

        """;

    private const string Late = """

        [program:late]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        """;

    [RequiresFact(Requirement.Supervisor)]
    public async Task ChildutilsListener_HearsWhatSupervisordSends_ForStartCrashFatalStopLogCommunicationAndUpdate()
    {
        await using var both = SideBySide.Create(Programs);
        var theirs = Path.Combine(both.SupervisordDir, "events.log");
        var ours = Path.Combine(both.Taskmasterd.Dir, "events.log");
        await both.StartAsync();

        bool BothHave(params string[] needles) => needles.All(n => Read(theirs).Any(l => l.Contains(n)) && Read(ours).Any(l => l.Contains(n)));
        await both.WaitUntilAsync(() => BothHave(
            "PROCESS_STATE_FATAL processname:doomed", "PROCESS_COMMUNICATION_STDOUT processname:talk",
            "PROCESS_STATE_RUNNING processname:web") && Read(theirs).Count(IsCrashRunning) == 2 && Read(ours).Count(IsCrashRunning) == 2,
            "the start, the crash, the FATAL and the output events");

        var (sc, tc) = await both.BothAsync("stop", "web");
        Assert.Equal(sc.Stdout, tc.Stdout);
        await both.WaitUntilAsync(() => BothHave("PROCESS_STATE_STOPPED processname:web"), "web's stop");

        var late = Late.Replace("{fixtures}", Taskmaster.Tests.EndToEnd.DaemonUnderTest.Fixtures);
        File.AppendAllText(both.SupervisordConfig, late);
        File.AppendAllText(both.Taskmasterd.ConfigPath, late);
        (sc, tc) = await both.BothAsync("update");
        Assert.Equal(sc.Stdout, tc.Stdout);
        await both.WaitUntilAsync(() => BothHave("PROCESS_STATE_RUNNING processname:late"), "the added group's start");

        var theirLines = Read(theirs);
        var ourLines = Read(ours);
        foreach (var process in new[] { "web", "crash", "doomed", "talk", "late", "rec" })
            Assert.Equal(string.Join('\n', States(theirLines, process)), string.Join('\n', States(ourLines, process)));
        Assert.Equal(string.Join('\n', Output(theirLines)), string.Join('\n', Output(ourLines)));
        // The listener's own group first (its FAIL made it come twice), then the others (same priority: any order).
        Assert.Equal(Groups(theirLines).Take(2), Groups(ourLines).Take(2));
        Assert.Equal(Groups(theirLines).Order(), Groups(ourLines).Order());
        Assert.Equal("0 0 PROCESS_GROUP_ADDED groupname:rec ''", ourLines[0]);
        Assert.Equal(ourLines[0], ourLines[1]);

        // The protocol's own numbers: one pool that takes every event, so serial = poolserial, from 0 without a gap.
        var serials = ourLines.Skip(1).Select(l => l.Split(' ')).Select(w => (long.Parse(w[0]), long.Parse(w[1]))).ToList();
        Assert.Equal(Enumerable.Range(0, serials.Count).Select(i => ((long)i, (long)i)), serials);

        Assert.Equal(
        [
            "PROCESS_STATE_STARTING processname:crash groupname:crash from_state:STOPPED tries:0 ''",
            "PROCESS_STATE_RUNNING processname:crash groupname:crash from_state:STARTING ''",
            "PROCESS_STATE_EXITED processname:crash groupname:crash from_state:RUNNING expected:0 ''",
            "PROCESS_STATE_STARTING processname:crash groupname:crash from_state:EXITED tries:0 ''",
            "PROCESS_STATE_RUNNING processname:crash groupname:crash from_state:STARTING ''",
        ], States(ourLines, "crash"));
        Assert.Equal(
        [
            "PROCESS_STATE_STARTING processname:doomed groupname:doomed from_state:STOPPED tries:0 ''",
            "PROCESS_STATE_BACKOFF processname:doomed groupname:doomed from_state:STARTING tries:1 ''",
            "PROCESS_STATE_STARTING processname:doomed groupname:doomed from_state:BACKOFF tries:1 ''",
            "PROCESS_STATE_BACKOFF processname:doomed groupname:doomed from_state:STARTING tries:2 ''",
            "PROCESS_STATE_FATAL processname:doomed groupname:doomed from_state:BACKOFF ''",
        ], States(ourLines, "doomed"));
        Assert.Equal(
        [
            "PROCESS_LOG_STDOUT processname:talk groupname:talk channel:stdout 'hello\\n'",
            "PROCESS_LOG_STDOUT processname:talk groupname:talk channel:stdout 'ping'",
            "PROCESS_COMMUNICATION_STDOUT processname:talk groupname:talk 'ping'",
        ], Output(ourLines));
        Assert.Contains("PROCESS_GROUP_ADDED groupname:late ''", Groups(ourLines));
    }

    private static bool IsCrashRunning(string line) => line.Contains("PROCESS_STATE_RUNNING processname:crash ");

    private static List<string> Read(string path) =>
        File.Exists(path) ? [.. File.ReadAllLines(path)] : [];

    /// <summary>The state events of one process, in order, without the two serials.</summary>
    private static List<string> States(List<string> lines, string process) =>
        [.. lines.Where(l => l.Contains($" PROCESS_STATE_") && l.Contains($" processname:{process} ")).Select(WithoutSerials)];

    /// <summary>The output events (log and communication), in order.</summary>
    private static List<string> Output(List<string> lines) =>
        [.. lines.Where(l => l.Contains(" PROCESS_LOG_") || l.Contains(" PROCESS_COMMUNICATION_")).Select(WithoutSerials)];

    private static List<string> Groups(List<string> lines) =>
        [.. lines.Where(l => l.Contains(" PROCESS_GROUP_")).Select(WithoutSerials)];

    private static string WithoutSerials(string line) => string.Join(' ', line.Split(' ').Skip(2));
}
