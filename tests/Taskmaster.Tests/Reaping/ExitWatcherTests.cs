using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Tests.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Reaping;

/// <summary>Exits are reaped and decoded; signals reach a child or its whole group.</summary>
public sealed class ExitWatcherTests : IDisposable
{
    private readonly PosixSpawner _spawner = new();

    public ExitWatcherTests() => ChildExits.EnsureWatching();

    public void Dispose() => _spawner.Dispose();

    [Fact]
    public async Task Watcher_ReportsEvery8BitExitCode()
    {
        // One child per code, all in flight at once: cheap, and exercises many exits racing each other.
        var pids = new int[256];
        for (var code = 0; code < 256; code++)
            pids[code] = Started(_spawner.Spawn(Request([Fixture("exit_with.sh"), code.ToString()],
                stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid;
        var statuses = await Task.WhenAll(pids.Select(ChildExits.Of));
        for (var code = 0; code < 256; code++)
            Assert.Equal(ExitStatus.Exited(code), statuses[code]);
    }

    [Fact]
    public async Task Watcher_ReportsDeathBySigkill()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")])));
        try
        {
            Assert.Equal(0, new ProcessSignaller().Signal(child.Pid, Signals.SIGKILL, toGroup: false));
            var status = await ChildExits.Of(child.Pid);
            Assert.Equal(ExitStatus.Killed(Signals.SIGKILL), status);
            Assert.Equal("terminated by SIGKILL", status.ToString());
        }
        finally { await KillAndReap(child.Pid); }
    }

    [Fact]
    public async Task Signal_ToGroup_ReachesGrandchild()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("spawn_grandchild.sh")], stderr: OutputRouting.Discard)));
        var grandchild = 0;
        try
        {
            await using var stream = new FileStream(child.StdoutPipe!, FileAccess.Read, 1);
            using var reader = new StreamReader(stream);
            grandchild = int.Parse((await reader.ReadLineAsync().WaitAsync(ChildExits.Deadline))!);
            Assert.False(ProcFs.IsDead(grandchild));

            Assert.Equal(0, new ProcessSignaller().Signal(child.Pid, Signals.SIGTERM, toGroup: true));
            Assert.Equal(ExitStatus.Killed(Signals.SIGTERM), await ChildExits.Of(child.Pid));
            Assert.True(await ProcFs.Until(() => ProcFs.IsDead(grandchild)), "grandchild survived the group signal");
        }
        finally
        {
            await KillAndReap(child.Pid);
            if (grandchild > 0) Signals.Kill(grandchild, Signals.SIGKILL);
        }
    }

    [Fact]
    public async Task Signal_ReapedChild_ReturnsEsrch()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("exit_with.sh"), "3"],
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
        Assert.Equal(ExitStatus.Exited(3), await ChildExits.Of(child.Pid));
        Assert.Equal(Errno.ESRCH, new ProcessSignaller().Signal(child.Pid, Signals.SIGTERM, toGroup: true));
    }

    [Fact]
    public async Task Watcher_SecondWatcher_GetsExitsToo_AndStopsReportingAfterDispose()
    {
        var seen = new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously);
        var child = 0;
        var afterDispose = 0;
        var watcher = new ExitWatcher();
        watcher.Start((pid, status) =>
        {
            if (pid == Volatile.Read(ref child)) seen.TrySetResult(status);
            if (pid == Volatile.Read(ref afterDispose)) Interlocked.Increment(ref afterDispose);
        });
        try
        {
            // The child may exit before Spawn returns: the shared recorder keeps it; this watcher may see it first.
            var pid = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")]))).Pid;
            Volatile.Write(ref child, pid);
            new ProcessSignaller().Signal(pid, Signals.SIGKILL, toGroup: true);
            Assert.Equal(ExitStatus.Killed(Signals.SIGKILL), await seen.Task.WaitAsync(ChildExits.Deadline));
        }
        finally { watcher.Dispose(); }

        var late = Started(_spawner.Spawn(Request([Fixture("exit_with.sh"), "0"],
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid;
        Volatile.Write(ref afterDispose, late);
        await ChildExits.Of(late);
        Assert.Equal(late, Volatile.Read(ref afterDispose)); // the disposed watcher's callback never ran
    }

    [Fact]
    public void ExitWatcher_StartTwice_Throws()
    {
        using var watcher = new ExitWatcher();
        watcher.Start((_, _) => { });
        Assert.Throws<InvalidOperationException>(() => watcher.Start((_, _) => { }));
    }
}
