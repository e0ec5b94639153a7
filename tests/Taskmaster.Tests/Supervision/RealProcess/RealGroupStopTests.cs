using System.Globalization;
using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>
/// Issue 25 through the engine in the test host, which is not the subreaper (it must not adopt the children of
/// System.Diagnostics.Process): what a wrapper leaves goes to init, and the engine learns that the group emptied by
/// checking it on a doubling deadline (<see cref="GroupPoll"/>). The daemon's event-driven path is covered end to
/// end (GracefulStopEndToEndTests); the rules are the same.
/// </summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealGroupStopTests
{
    [Fact]
    public async Task Stop_ScriptAroundAGracefulWorker_ReportsStoppedOnlyAfterTheWorkersCleanup()
    {
        await using var real = Start(dir => Program("wrapped",
            $"sh {Fixture("run_worker.sh")} {Fixture("graceful_worker.sh")} {Path.Combine(dir, "w.out")} 1", "startsecs = 1"));
        await real.RunningPid("wrapped");
        var worker = await ReadyWorker(real);

        var result = (await real.Engine.StopAsync(["wrapped"], wait: true).WaitAsync(Deadline)).Single();

        // Read at once: the stop must not have returned before the worker's second of cleanup was over.
        Assert.Equal([$"ready {worker}", "got TERM", "cleanup done"], WorkerLines(real));
        Assert.True(result.Ok, result.ToString());
        Assert.Equal(ProcessState.Stopped, (await real.Get("wrapped")).State);
        Assert.True(ProcFs.IsDead(worker));
        Assert.Empty(real.Log.Of(TimedLogger.Killing));
        Assert.Empty(real.Log.Of(TimedLogger.KillingLeftovers));
    }

    [Fact]
    public async Task Stop_ChildThatIgnoresTerm_KillsWhatIsLeftOfTheGroupAtStopWaitSecs()
    {
        await using var real = Start(dir => Program("deaf",
            $"{Fixture("term_deaf_child.sh")} {Path.Combine(dir, "w.out")}", "startsecs = 1", "stopwaitsecs = 2"));
        await real.RunningPid("deaf");
        var child = await ReadyWorker(real);

        var result = (await real.Engine.StopAsync(["deaf"], wait: true).WaitAsync(Deadline)).Single();

        Assert.True(result.Ok, result.ToString());
        Assert.Equal(["got TERM"], WorkerLines(real).Skip(1));
        var termAt = Assert.Single(real.Log.Of(TimedLogger.StopSignal, "deaf")).At;
        var killAt = Assert.Single(real.Log.Of(TimedLogger.KillingLeftovers, "deaf")).At;
        Assert.InRange((killAt - termAt).TotalSeconds, 2 - 0.3, 2 + MachineLoad.LateMargin());
        Assert.True(await ProcFs.Until(() => ProcFs.IsDead(child), Deadline), "the TERM-deaf child survived SIGKILL");
    }

    [Fact]
    public async Task Exit_LeavingAWorker_StopsItGracefully_AndRespawnsOnlyAfterItsCleanup()
    {
        await using var real = Start(dir => Program("crashy",
            $"sh -c \"{Fixture("graceful_worker.sh")} {Path.Combine(dir, "w.out")} 1 & sleep 1.5; exit 3\"",
            "startsecs = 1", "autorestart = true"));
        var first = await ReadyWorker(real);

        Assert.True(await ProcFs.Until(() => WorkerLines(real).Count(l => l.StartsWith("ready ", StringComparison.Ordinal)) >= 2,
            Deadline), "the respawned worker never wrote its ready line\n" + real.Log.Dump());
        Assert.Equal([$"ready {first}", "got TERM", "cleanup done"], WorkerLines(real).Take(3));
        var told = real.Log.Of(TimedLogger.StoppingLeftovers, "crashy");
        Assert.Contains($"{first}", told[0].Text);
        Assert.True(real.SpawnedPids("crashy").Count >= 2);
        Assert.True(told[0].At < real.Log.Of(TimedLogger.Spawned, "crashy")[1].At, "respawned before the leftovers were stopped");
    }

    private static async Task<int> ReadyWorker(RealEngine real)
    {
        // A file, not a log line: ProcFs.Until polls it (with a short back-off) until the deadline.
        Assert.True(await ProcFs.Until(() => WorkerLines(real).FirstOrDefault()?.StartsWith("ready ", StringComparison.Ordinal) == true,
            Deadline), "the worker never wrote its ready line\n" + real.Log.Dump());
        return int.Parse(WorkerLines(real)[0]["ready ".Length..], CultureInfo.InvariantCulture);
    }

    private static List<string> WorkerLines(RealEngine real)
    {
        try { return [.. File.ReadAllText(Path.Combine(real.Dir, "w.out")).Split('\n', StringSplitOptions.RemoveEmptyEntries)]; }
        catch (FileNotFoundException) { return []; }
    }
}
