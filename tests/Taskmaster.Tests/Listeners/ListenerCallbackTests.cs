// Issue 17 with XML-RPC (#16): listeners call back through SUPERVISOR_SERVER_URL as httpok and memmon do, and
// supervisor.sendRemoteCommEvent (sent by supervisor's own client code) reaches them as REMOTE_COMMUNICATION.
using Taskmaster.Tests.Conformance;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Listeners;

public sealed class ListenerCallbackTests
{
    [RequiresFact(Requirement.Supervisor)]
    public async Task Listener_CallsGetProcessInfo_ThroughSupervisorServerUrl_AndGetsTheRightAnswer()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [eventlistener:ask]
            command = /usr/bin/python3 {fixtures}/ask_process_info.py {dir}/answers.log web
            events = PROCESS_STATE_RUNNING

            [program:web]
            command = {fixtures}/sleep_forever.sh
            startsecs = 1
            """);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("web ") && l.Contains("RUNNING")));
        var pid = status.Lines.Single(l => l.StartsWith("web ")).Split("pid ")[1].Split(',')[0];
        var answers = Path.Combine(daemon.Dir, "answers.log");
        Assert.True(await ProcFs.Until(() => File.Exists(answers) && File.ReadAllLines(answers).Contains($"web RUNNING {pid}"), TimeSpan.FromSeconds(60)), daemon.Output);
    }

    [RequiresFact(Requirement.Supervisor)]
    public async Task RemoteCommEvent_SentWithSupervisorsClient_ReachesTheListener()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [eventlistener:rec]
            command = /usr/bin/python3 {fixtures}/record_events.py {dir}/events.log
            events = REMOTE_COMMUNICATION
            startsecs = 0
            """);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("rec ") && l.Contains("RUNNING")));
        // supervisor's own client code: childutils' XML-RPC proxy over the unix socket, as a listener gets it.
        var sent = await SideBySide.Run("/usr/bin/python3",
        [
            "-c",
            "import sys\nfrom supervisor import childutils\n" +
            "rpc = childutils.getRPCInterface({'SUPERVISOR_SERVER_URL': sys.argv[1]})\n" +
            "print(rpc.supervisor.sendRemoteCommEvent('alert', 'disk almost full'))",
            "unix://" + daemon.SocketPath,
        ]);
        Assert.Equal("True", sent.Stdout.Trim());
        var log = Path.Combine(daemon.Dir, "events.log");
        Assert.True(await ProcFs.Until(() => File.Exists(log) && File.ReadAllLines(log).Any(l => l.EndsWith("REMOTE_COMMUNICATION type:alert 'disk almost full'")), TimeSpan.FromSeconds(60)), daemon.Output);
    }
}
