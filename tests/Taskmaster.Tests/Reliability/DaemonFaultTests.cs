// Issue 22 item 4: the daemon itself interrupted. SIGKILLed in the middle of a spawn batch, of an update, of a
// shutdown, then started again: every program runs exactly once (none twice, none lost). Frozen by SIGSTOP while its
// programs are starting, then continued: it catches up without a false FATAL or BACKOFF.
using static Taskmaster.Tests.Reliability.ReliabilityTools;
using Taskmaster.Tests.EndToEnd;

namespace Taskmaster.Tests.Reliability;

[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DaemonFaultTests
{
    private static string[] NamesOf(string prefix, int count) => [.. Enumerable.Range(0, count).Select(i => $"{prefix}{i:00}")];

    /// <summary>Programs tagged by name in their command line, so a /proc scan counts each one's copies.</summary>
    private static string Programs(IEnumerable<string> names, string extra = "") => string.Concat(names.Select(n => $"""

        [program:{n}]
        command = {"{fixtures}"}/wait_on_grandchild.sh {"{dir}"}/{n}.tag
        startsecs = 0
        stopwaitsecs = 5
        {extra}

        """));

    /// <summary>After a restart: each program RUNNING, and exactly one process of ours carries its tag (its own).</summary>
    private static async Task AssertEachRunsExactlyOnceAsync(DaemonUnderTest daemon, IReadOnlyCollection<string> names)
    {
        var pids = await WaitAllRunningAsync(daemon, names);
        // A leftover of the killed daemon is stopped by the new one before it spawns anything; give its TERM a moment.
        try
        {
            await WaitUntilAsync(() => names.All(n => Tagged($"/{n}.tag").Count == 1), "one copy of each program", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            var wrong = names.Select(n => (Name: n, Pids: Tagged($"/{n}.tag"))).Where(x => x.Pids.Count != 1)
                .Select(x => $"{x.Name}: [{string.Join(",", x.Pids)}] (the daemon says {pids[x.Name]})");
            Assert.Fail($"not exactly one copy: {string.Join("; ", wrong)}\n{daemon.Output}");
        }
        foreach (var name in names)
            Assert.Equal([pids[name]], Tagged($"/{name}.tag"));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(20)]
    public async Task SigkillDuringTheStartBatch_ThenRestart_EveryProgramRunsExactlyOnce(int spawnedBeforeTheKill)
    {
        var names = NamesOf("b", 30);
        await using var daemon = DaemonUnderTest.Create(Programs(names));
        await daemon.LaunchAsync();
        await WaitUntilAsync(() => Count(daemon.Output, "spawned: ") >= spawnedBeforeTheKill, "the batch under way", TimeSpan.FromSeconds(60));
        daemon.Signal(9);
        await daemon.WaitForExitAsync();

        await daemon.StartAsync();
        await AssertEachRunsExactlyOnceAsync(daemon, names);
    }

    [Fact]
    public async Task SigkillDuringAnUpdate_ThenRestart_EveryProgramRunsExactlyOnce()
    {
        var first = NamesOf("u", 5);
        var added = NamesOf("n", 25);
        await using var daemon = DaemonUnderTest.Create(Programs(first));
        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, first);
        daemon.WriteConfig(Programs([.. first, .. added]));
        daemon.Signal(1);
        await WaitUntilAsync(() => Count(daemon.Output, "spawned: 'n") >= 3, "the update under way", TimeSpan.FromSeconds(60));
        daemon.Signal(9);
        await daemon.WaitForExitAsync();

        await daemon.StartAsync();
        await AssertEachRunsExactlyOnceAsync(daemon, [.. first, .. added]);
    }

    [Fact]
    public async Task SigkillDuringTheShutdown_ThenRestart_EveryProgramRunsExactlyOnce()
    {
        // Programs that take a while to stop (TERM is ignored until stopwaitsecs), so the kill lands mid-shutdown.
        var names = NamesOf("s", 10);
        await using var daemon = DaemonUnderTest.Create(string.Concat(names.Select(n => $"""

            [program:{n}]
            command = {"{fixtures}"}/ignore_term.sh {"{dir}"}/{n}.tag
            startsecs = 0
            stopwaitsecs = 30

            """)));
        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, names);
        daemon.Signal(15);
        await daemon.WaitForOutputAsync("waiting for ");
        daemon.Signal(9);
        await daemon.WaitForExitAsync();

        await daemon.StartAsync();
        await AssertEachRunsExactlyOnceAsync(daemon, names);
    }

    [Fact]
    public async Task SigstopWhileProgramsStart_ThenSigcont_CatchesUpWithoutAFalseFatal()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_SIGSTOP_SECONDS"), out var s) ? s : 30;
        var names = NamesOf("z", 10);
        // startsecs 2 and one retry: a frozen daemon that judged time wrongly on waking would see these as failed
        // starts; the liveness checks' deadlines all pass while it is frozen.
        await using var daemon = DaemonUnderTest.Create(Programs(names, "startsecs = 2\nstartretries = 0\nliveness_check_script = /bin/true\nliveness_check_initial_delay = 1\nliveness_check_period = 1\nliveness_check_timeout = 1\n"));
        await daemon.StartAsync();
        await WaitUntilAsync(() => Count(daemon.Output, "spawned: ") >= 1, "a first spawn", TimeSpan.FromSeconds(60));
        daemon.Signal(19); // SIGSTOP
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds)); // the fault itself is a duration: nothing to wait on
        }
        finally
        {
            daemon.Signal(18); // SIGCONT
        }
        await WaitAllRunningAsync(daemon, names);
        // Some more liveness periods after waking, still no failure of any kind.
        var ticks = Count(daemon.Output, "success: ");
        await daemon.WaitForStatusAsync(lines => lines.Count(l => l.Contains(" RUNNING ", StringComparison.Ordinal)) == names.Length);
        await Task.Delay(TimeSpan.FromSeconds(3));
        foreach (var bad in new[] { "gave up:", "FATAL", "BACKOFF", "exited:", "unhealthy:", "killing" })
            Assert.False(daemon.Output.Contains(bad, StringComparison.Ordinal), $"'{bad}' after SIGSTOP/SIGCONT ({ticks} successes):\n{daemon.Output}");
        Assert.Equal(names.Length, Count(daemon.Output, "spawned: "));
    }

    private static int Count(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }
}
