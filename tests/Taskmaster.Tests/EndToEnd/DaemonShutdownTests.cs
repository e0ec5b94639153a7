using System.Text.RegularExpressions;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>TERM, INT and QUIT stop every program in reverse priority, leave no process behind, and exit 0.</summary>
public partial class DaemonShutdownTests
{
    // 20 instances in three priorities, each a shell with a grandchild in its group.
    private const string Programs = """
        [program:pa]
        command = {fixtures}/spawn_grandchild.sh
        numprocs = 7
        priority = 100
        startsecs = 0

        [program:pb]
        command = {fixtures}/spawn_grandchild.sh
        numprocs = 7
        priority = 200
        startsecs = 0

        [program:pc]
        command = {fixtures}/spawn_grandchild.sh
        numprocs = 6
        priority = 300
        startsecs = 0
        """;

    [Theory]
    [InlineData(15, "SIGTERM")]
    [InlineData(2, "SIGINT")]
    [InlineData(3, "SIGQUIT")]
    public async Task Signal_StopsTwentyChildrenInReversePriority_LeavesNoProcess_RemovesPidfileAndSocket(int signal, string name)
    {
        await using var daemon = DaemonUnderTest.Create(Programs);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(lines =>
            lines.Count(l => l.Contains(" RUNNING ")) == 20, TimeSpan.FromSeconds(90));
        var pids = status.Lines.Select(l => int.Parse(l.Split("pid ")[1].Split(',')[0])).ToList();
        // Every group holds the shell and its grandchild before we signal (the shell prints once it forked).
        await daemon.WaitUntilAsync(() => pids.All(p => ProcFs.GroupMembers(p).Count == 2), "every grandchild to exist");

        daemon.Signal(signal);
        Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(90)));

        Assert.Contains($"received {name}", daemon.Output);
        var stopped = StoppedLine().Matches(daemon.Output).Select(m => m.Groups[1].Value).ToList();
        Assert.Equal(20, stopped.Count);
        var priorities = stopped.Select(n => n.StartsWith("pc") ? 300 : n.StartsWith("pb") ? 200 : 100).ToList();
        Assert.True(priorities.SequenceEqual(priorities.OrderByDescending(p => p)),
            "stop order was not reverse priority: " + string.Join(", ", stopped));
        foreach (var pid in pids)
            Assert.Empty(ProcFs.GroupMembers(pid));
        Assert.False(File.Exists(daemon.PidfilePath), "pid file left behind");
        Assert.False(File.Exists(daemon.SocketPath), "socket left behind");
    }

    [GeneratedRegex(@"stopped: (\S+) \(")]
    private static partial Regex StoppedLine();
}
