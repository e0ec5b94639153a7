// supervisorctl's name rule through the real taskmasterd and taskmasterctl. Every expected line and exit code below
// was observed with Debian's supervisord/supervisorctl 4.2.5 on the same programs ([program:web] numprocs=2,
// process_name=%(program_name)s_%(process_num)d; [program:one]; [group:grp] programs=a,b).
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

public sealed class CtlNameRuleEndToEndTests
{
    private const string Programs = """
        [program:web]
        command = {fixtures}/sleep_forever.sh
        numprocs = 2
        process_name = %(program_name)s_%(process_num)d
        startsecs = 0

        [program:one]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        [program:a]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        [program:b]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0

        [group:grp]
        programs = a,b
        """;

    private static int PidOf(CtlResult status, string name) =>
        int.Parse(status.Lines.Single(l => l.StartsWith(name + " ", StringComparison.Ordinal)).Split("pid ")[1].Split(',')[0]);

    private static void AssertAnswer(CtlResult r, int exit, params string[] lines)
    {
        Assert.True(r.ExitCode == exit, $"expected exit {exit}:\n{r}");
        Assert.Equal(lines, r.Lines);
    }

    [Fact]
    public async Task BareNameOfNumprocsProgram_IsNoSuchProcessForEveryCommand_AndTouchesNothing()
    {
        await using var daemon = DaemonUnderTest.Create(Programs);
        await daemon.StartAsync();
        var status = await daemon.WaitForStatusAsync(lines => lines.Count(l => l.Contains("RUNNING")) == 5);
        int[] pids = [PidOf(status, "web:web_0"), PidOf(status, "web:web_1")];

        AssertAnswer(await daemon.CtlAsync("stop", "web"), 1, "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("status", "web"), 4, "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("start", "web"), 1, "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("restart", "web"), 1, "web: ERROR (no such process)", "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("signal", "HUP", "web"), 1, "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("clear", "web"), 1, "web: ERROR (no such process)");
        AssertAnswer(await daemon.CtlAsync("pid", "web"), 1, "No such process web");
        AssertAnswer(await daemon.CtlAsync("tail", "web"), 1, "web: ERROR (no such process name)");
        AssertAnswer(await daemon.CtlAsync("fg", "web"), 1, "ERROR: bad process name supplied");
        AssertAnswer(await daemon.CtlAsync("stop", "grp"), 1, "grp: ERROR (no such process)");

        var after = await daemon.CtlAsync("status");
        Assert.Equal(5, after.Lines.Count(l => l.Contains("RUNNING")));
        Assert.Equal((pids[0], pids[1]), (PidOf(after, "web:web_0"), PidOf(after, "web:web_1")));
        Assert.All(pids, pid => Assert.True(ProcFs.IsAlive(pid)));
    }

    [Fact]
    public async Task GroupWildcardFullNameAndSingleProcessProgram_WorkAsInSupervisorctl()
    {
        await using var daemon = DaemonUnderTest.Create(Programs);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Count(l => l.Contains("RUNNING")) == 5);

        // SIGCONT: delivered and counted, and a sleep survives it.
        AssertAnswer(await daemon.CtlAsync("signal", "CONT", "web:*"), 0, "web:web_0: signalled", "web:web_1: signalled");
        AssertAnswer(await daemon.CtlAsync("stop", "web:*"), 0, "web:web_0: stopped", "web:web_1: stopped");
        var stopped = await daemon.CtlAsync("status", "web:*");
        Assert.Equal(3, stopped.ExitCode);
        Assert.Equal(["web:web_0", "web:web_1"], stopped.Lines.Select(l => l.Split(' ')[0]));
        Assert.All(stopped.Lines, l => Assert.Contains(" STOPPED ", l));
        AssertAnswer(await daemon.CtlAsync("stop", "web:*"), 0); // nothing running: nothing said, as supervisorctl
        AssertAnswer(await daemon.CtlAsync("start", "web:*"), 0, "web:web_0: started", "web:web_1: started");
        AssertAnswer(await daemon.CtlAsync("stop", "web:web_0"), 0, "web:web_0: stopped");
        Assert.Equal(3, (await daemon.CtlAsync("status", "web:web_0")).ExitCode);

        AssertAnswer(await daemon.CtlAsync("stop", "one"), 0, "one: stopped");
        AssertAnswer(await daemon.CtlAsync("start", "one:one"), 0, "one: started");
        AssertAnswer(await daemon.CtlAsync("stop", "one:*"), 0, "one: stopped");
        AssertAnswer(await daemon.CtlAsync("start", "one"), 0, "one: started");

        AssertAnswer(await daemon.CtlAsync("stop", "nosuch:*"), 1, "nosuch: ERROR (no such group)");
        AssertAnswer(await daemon.CtlAsync("status", "nosuch:*"), 4, "nosuch: ERROR (no such group)");
        AssertAnswer(await daemon.CtlAsync("start", "nosuch:*"), 2, "nosuch: ERROR (no such group)");
        AssertAnswer(await daemon.CtlAsync("signal", "HUP", "nosuch:*"), 1, "nosuch: ERROR (no such group)");
        AssertAnswer(await daemon.CtlAsync("stop", "web:nosuch"), 1, "web:nosuch: ERROR (no such process)");
    }
}
