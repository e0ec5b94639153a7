using Taskmaster.Posix;
using Taskmaster.Supervision;
using Xunit.Abstractions;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Stopping real children: the SIGKILL fallback and what is left of the group afterwards.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealStopTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Stop_WhenChildAndGrandchildIgnoreTerm_KillsGroupAfterStopWaitSecsAndLeavesNothingRunning()
    {
        await using var real = Start(dir => Program("stubborn",
            $"{Fixture("ignore_term_tree.sh")} {Path.Combine(dir, "grandchild.pid")}", "startsecs = 1", "stopwaitsecs = 2"));
        var pid = await real.RunningPid("stubborn");
        var pidFile = Path.Combine(real.Dir, "grandchild.pid");
        Assert.True(await ProcFs.Until(() => File.Exists(pidFile), Deadline), "the fixture never wrote its grandchild's pid");
        var grandchild = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(pid, ProcFs.Read(grandchild)?.ProcessGroup);

        var stopRequestedAt = real.Log.Now;
        var result = (await real.Engine.StopAsync(["stubborn"], wait: true).WaitAsync(Deadline)).Single();

        Assert.True(result.Ok, result.ToString());
        Assert.Equal(ProcessState.Stopped, (await real.Get("stubborn")).State);
        Assert.Contains($"killing 'stubborn' ({pid}) with SIGKILL", real.Log.Activity);
        Assert.Contains("stopped: stubborn (terminated by SIGKILL)", real.Log.Activity);
        var termAt = Assert.Single(real.Log.Of(TimedLogger.StopSignal, "stubborn")).At;
        var killAt = Assert.Single(real.Log.Of(TimedLogger.Killing, "stubborn")).At;
        output.WriteLine($"SIGKILL {(killAt - termAt).TotalSeconds:F3} s after the SIGTERM line, " +
            $"{(killAt - stopRequestedAt).TotalSeconds:F3} s after the stop request (stopwaitsecs = 2)");
        // The lower bound is taken from before the request: the SIGTERM line itself may be logged late on a
        // busy machine (first-call JIT of the log method), which makes the gap from it look short.
        Assert.InRange((killAt - stopRequestedAt).TotalSeconds, 2 - 0.1, double.MaxValue);
        Assert.InRange((killAt - termAt).TotalSeconds, 0, 2 + 1.5);

        // The child itself was reaped by the engine. The grandchild, orphaned by the same group SIGKILL, belongs
        // to init now; it must be dead, killed by that SIGKILL (an init that does not reap, as in some
        // containers, may keep it as a zombie: dead, holding only its pid).
        Assert.Null(ProcFs.Read(pid));
        Assert.True(await ProcFs.Until(() => ProcFs.InGroups(new HashSet<int> { pid }).All(p => p.IsZombie), Deadline),
            "a process of the stopped program's group is still running");
        foreach (var left in ProcFs.InGroups(new HashSet<int> { pid }))
        {
            Assert.NotEqual(Environment.ProcessId, left.ParentPid); // never a zombie of ours
            Assert.Equal(Signals.SIGKILL, left.ExitSignal);
        }
    }
}
