// Issue 16: the second real client, Python's xmlrpc.client through supervisor.childutils.getRPCInterface (what every
// superlance listener and most dashboards' Python code uses). tests/fixtures/childutils_every_method.py calls all 41
// methods, faults included, against one daemon and prints each answer's shape (types, struct keys in arrival order)
// and its value where pids, clocks and paths do not enter; run against supervisord and taskmasterd, the lines must match.
//
// Deliberate differences, each asserted below:
// - system.methodHelp: the help texts are ours (same methods and signatures, our words).
// - getIdentification: the default identifier is "taskmaster" here, "supervisor" there (only the value; not printed).
// - stopasgroup/killasgroup default to true here (docs/DIFFERENCES.md): the file sets them, so getAllConfigInfo agrees.
using System.Text.Json.Nodes;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Conformance;

public sealed class ChildutilsConformanceTests
{
    private const string Programs = """
        [program:alpha]
        command = /bin/sleep 1000
        startsecs = 0
        stopasgroup = true
        killasgroup = true

        [program:w1]
        command = /bin/sleep 1000
        startsecs = 0
        stopasgroup = true
        killasgroup = true
        [program:w2]
        command = /bin/sleep 1000
        startsecs = 0
        stopasgroup = true
        killasgroup = true
        priority = 10
        [group:web]
        programs = w1,w2

        [program:idle]
        command = /bin/sleep 1000
        startsecs = 0
        stopasgroup = true
        killasgroup = true
        autostart = false

        """;

    private static Task<Control.CtlResult> RunScriptAsync(string socket) =>
        SideBySide.Run("/usr/bin/python3", [Path.Combine(EndToEnd.DaemonUnderTest.Fixtures, "childutils_every_method.py")],
            environment: new Dictionary<string, string> { ["SUPERVISOR_SERVER_URL"] = "unix://" + socket });

    [RequiresFact(Requirement.Supervisor)]
    public async Task EveryMethod_SameShapesKeysAndFaults_AsSupervisord()
    {
        await using var both = SideBySide.Create(Programs);
        await both.StartAsync();

        var theirs = RunScriptAsync(Path.Combine(both.SupervisordDir, "tm.sock"));
        var ours = RunScriptAsync(both.Taskmasterd.SocketPath);
        var (theirRun, ourRun) = (await theirs, await ours);
        Assert.True(theirRun.ExitCode == 0, theirRun.ToString());
        Assert.True(ourRun.ExitCode == 0, ourRun + "\n" + both.Taskmasterd.Output);

        var theirLines = theirRun.Lines;
        var ourLines = ourRun.Lines;
        Assert.Equal(theirLines.Length, ourLines.Length);
        Assert.True(theirLines.Length > 80, theirRun.Stdout);
        var differences = new List<string>();
        for (var i = 0; i < theirLines.Length; i++)
        {
            var (t, o) = (JsonNode.Parse(theirLines[i])!, JsonNode.Parse(ourLines[i])!);
            var same = t["call"]!.GetValue<string>() == "system.methodHelp" && t["fault"] is null
                ? t["shape"]!.ToJsonString() == o["shape"]!.ToJsonString() // the words are ours
                : theirLines[i] == ourLines[i];
            if (!same) differences.Add($"supervisord: {theirLines[i]}\ntaskmasterd: {ourLines[i]}");
        }
        Assert.True(differences.Count == 0, string.Join("\n\n", differences));
    }
}
