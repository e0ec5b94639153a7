using Taskmaster.Posix;
using Taskmaster.Config;
using Taskmaster.Spawning;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// Issue 27 item 10: a program that crashes just after startsecs was respawned every ~2 ms forever. Pacing is
/// opt-in (DESIGN §7), and a program restarting faster than 10 times a second is named in the log once a minute.
/// </summary>
public sealed class RestartPacingTests
{
    private static ProcessConfig Crashing(string name = "p") =>
        EngineHarness.Proc(name) with { StartSecs = 0, AutoRestart = AutoRestartPolicy.Always };

    private const string TooFast = "p is restarting more than 10 times a second; restart_delay, exp_backoff_restart_delay or max_restarts can pace it";

    [Fact]
    public async Task ByDefault_AnExitFromRunning_RespawnsAtOnce_AsSupervisord()
    {
        await using var h = await EngineHarness.RunAsync(Crashing());
        await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Running, await h.State("p"));
    }

    [Fact]
    public async Task RestartDelay_WaitsInExited_ThenRespawns()
    {
        await using var h = await EngineHarness.RunAsync(Crashing() with { RestartDelay = TimeSpan.FromSeconds(2) });
        await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Exited, await h.State("p"));

        await h.Advance(1.9);
        Assert.Equal(1, h.Spawner.CountFor("p"));
        await h.Advance(0.1);
        Assert.Equal(2, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Running, await h.State("p"));
    }

    [Fact]
    public async Task RestartDelay_AStopWhileWaiting_CancelsTheRespawn()
    {
        await using var h = await EngineHarness.RunAsync(Crashing() with { RestartDelay = TimeSpan.FromSeconds(2) });
        await h.Exit("p", ExitStatus.Exited(1));
        await h.Stop("p");
        await h.Advance(5);
        Assert.Equal(1, h.Spawner.CountFor("p"));
        Assert.Equal(ProcessState.Exited, await h.State("p"));
    }

    [Fact]
    public async Task ExpBackoff_DoublesUpTo15Seconds_AndResetsAfterMinUptime()
    {
        await using var h = await EngineHarness.RunAsync(Crashing() with { ExpBackoffRestartDelay = TimeSpan.FromSeconds(4) });
        double[] expected = [4, 8, 15, 15];
        for (int i = 0; i < expected.Length; i++)
        {
            await h.Exit("p", ExitStatus.Exited(1));
            await h.Advance(expected[i] - 0.01);
            Assert.Equal(ProcessState.Exited, await h.State("p"));
            await h.Advance(0.01);
            Assert.Equal(ProcessState.Running, await h.State("p"));
        }
        await h.Advance(1); // a run of min_uptime (1 s): back to the first pause
        await h.Exit("p", ExitStatus.Exited(1));
        await h.Advance(4);
        Assert.Equal(ProcessState.Running, await h.State("p"));
    }

    [Fact]
    public async Task MaxRestarts_GivesUpAfterThatManyQuickRespawns_ButNotWhenRunsLastMinUptime()
    {
        await using var h = await EngineHarness.RunAsync(Crashing() with { MaxRestarts = 2, MinUptime = TimeSpan.FromSeconds(5) });
        await h.Exit("p", ExitStatus.Exited(1));
        await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(3, h.Spawner.CountFor("p"));
        await h.Advance(5); // this run was long enough: the count starts again
        for (int i = 0; i < 3; i++)
            await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(ProcessState.Running, await h.State("p"));
        await h.Exit("p", ExitStatus.Exited(1));

        Assert.Equal(ProcessState.Fatal, await h.State("p"));
        Assert.Equal(6, h.Spawner.CountFor("p"));
        Assert.Contains("gave up: p entered FATAL state, too many start retries too quickly", h.Log.Activity);
    }

    [Fact]
    public async Task Unpaced_MoreThanTenRestartsInASecond_WarnsOncePerMinute()
    {
        await using var h = await EngineHarness.RunAsync(Crashing());
        for (int i = 0; i < 30; i++)
            await h.Exit("p", ExitStatus.Exited(1));
        Assert.Single(h.Log.Entries, e => e.Text == TooFast);

        await h.Advance(59);
        for (int i = 0; i < 11; i++)
            await h.Exit("p", ExitStatus.Exited(1));
        Assert.Single(h.Log.Entries, e => e.Text == TooFast);

        await h.Advance(1.5);
        for (int i = 0; i < 11; i++)
            await h.Exit("p", ExitStatus.Exited(1));
        Assert.Equal(2, h.Log.Entries.Count(e => e.Text == TooFast));
    }

    [Fact]
    public void Keys_ReadPm2Durations_MillisecondsWhenUnitless()
    {
        var p = Taskmaster.Tests.Config.Cfg.One("[program:p]\ncommand=x\nrestart_delay=250\nexp_backoff_restart_delay=2s\nmax_restarts=3\nmin_uptime=1m\n");
        Assert.Equal(TimeSpan.FromMilliseconds(250), p.RestartDelay);
        Assert.Equal(TimeSpan.FromSeconds(2), p.ExpBackoffRestartDelay);
        Assert.Equal(3, p.MaxRestarts);
        Assert.Equal(TimeSpan.FromMinutes(1), p.MinUptime);
        var defaults = Taskmaster.Tests.Config.Cfg.One("[program:p]\ncommand=x\n");
        Assert.Equal((TimeSpan.Zero, TimeSpan.Zero, (int?)null, TimeSpan.FromSeconds(1)),
            (defaults.RestartDelay, defaults.ExpBackoffRestartDelay, defaults.MaxRestarts, defaults.MinUptime));
        Assert.Contains("is not a duration", Taskmaster.Tests.Config.Cfg.FailsOnce("[program:p]\ncommand=x\nrestart_delay=soon\n").Message);
    }
}
