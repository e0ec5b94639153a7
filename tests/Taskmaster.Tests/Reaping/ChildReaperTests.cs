using System.Collections.Concurrent;
using System.Diagnostics;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Spawning;
using Taskmaster.Tests.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Reaping;

/// <summary>The reaper takes only the children our spawner registered: other children of the process keep their exits.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ChildReaperTests : IDisposable
{
    private readonly PosixSpawner _spawner = new();

    public ChildReaperTests() => ChildExits.EnsureWatching();

    public void Dispose() => _spawner.Dispose();

    [Fact]
    public async Task DiagnosticsProcess_KeepsItsExitCode_WhileWatcherRunsAndSpawnerChurns_20Times()
    {
        var seenByWatcher = new ConcurrentBag<int>();
        using var watcher = new ExitWatcher();
        watcher.Start((pid, _) => seenByWatcher.Add(pid));

        // A live child of ours for the whole test keeps the reaper waiting the entire time (a waitpid(-1)
        // reaper would then snatch every Process child), and a churn of short ones keeps it busy reaping.
        var sleeper = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")],
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid;
        var ourPids = new ConcurrentBag<int>([sleeper]);
        using var churned = new SemaphoreSlim(0);
        using var stop = new CancellationTokenSource();
        var churn = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                var pid = Started(_spawner.Spawn(Request(["/bin/sh", "-c", "exit 0"],
                    stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid;
                ourPids.Add(pid);
                await ChildExits.Of(pid);
                churned.Release();
            }
        });

        var foreignPids = new List<int>();
        try
        {
            for (var i = 0; i < 20; i++)
            {
                // One more child of ours spawned and reaped per run: the churn really overlaps the Process runs.
                Assert.True(await churned.WaitAsync(ChildExits.Deadline), "the spawner stopped churning");
                using var process = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "exit 7"]))!;
                foreignPids.Add(process.Id);
                Assert.True(process.WaitForExit(ChildExits.Deadline), $"run {i}: Process never saw its child exit");
                Assert.Equal(7, process.ExitCode);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await churn.WaitAsync(ChildExits.Deadline);
            await KillAndReap(sleeper);
        }

        // A pid can only show up if it was recycled for one of our own children.
        Assert.DoesNotContain(foreignPids, pid => seenByWatcher.Contains(pid) && !ourPids.Contains(pid));
    }

    [Fact]
    public async Task Reaper_LeavesUnregisteredChildToItsOwnWaitpid()
    {
        // posix_spawn without the spawner: a child of this process the reaper was never told about.
        int pid;
        using (var invocation = new SpawnInvocation("/bin/sh", ["/bin/sh", "-c", "exit 5"], [], null, 0b000_010_010, -1, -1, -1))
            Assert.Equal(0, invocation.Run(out pid));
        // Meanwhile registered children come and go, so the reaper is awake while this one exits.
        for (var i = 0; i < 5; i++)
            await ChildExits.Of(Started(_spawner.Spawn(Request(["/bin/true"],
                stdout: OutputRouting.Discard, stderr: OutputRouting.Discard))).Pid);

        Assert.Equal(ExitStatus.Exited(5), WaitFor(pid));
    }

    [Fact]
    public async Task Reaper_ChildDumpingCore_ReportsSignalAndCoreDumped()
    {
        var dir = TempDir();
        try
        {
            // SIGQUIT's default action dumps core when the limit allows (core_pattern permitting): report it either way.
            var child = Started(_spawner.Spawn(Request(["/bin/sh", "-c", "ulimit -c unlimited 2>/dev/null; kill -QUIT $$"],
                cwd: dir, stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
            var status = await ChildExits.Of(child.Pid);
            var dumped = Directory.EnumerateFiles(dir, "core*").Any();
            Assert.Equal(ExitStatus.Killed(Signals.SIGQUIT, coreDumped: dumped), status);
            Assert.Equal(dumped ? "terminated by SIGQUIT (core dumped)" : "terminated by SIGQUIT", status.ToString());
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Spawn_WhenChildCannotBeWatched_KillsAndReapsItAndFails()
    {
        // The fallback PosixSpawner takes when pidfd_open fails: simulate it on an unregistered child.
        int pid;
        using (var invocation = new SpawnInvocation(Fixture("sleep_forever.sh"), [Fixture("sleep_forever.sh")], [], null,
                   0b000_010_010, -1, -1, -1))
            Assert.Equal(0, invocation.Run(out pid));

        var failed = PosixSpawner.KillUnwatched(pid, Errno.EMFILE, Request(["sleepy"]));

        Assert.Equal("too many open files to spawn 'sleepy'", failed.Reason);
        Assert.Equal(-1, Signals.Kill(pid, 0)); // reaped: the pid no longer exists, not even as a zombie
        Assert.Equal(Errno.ESRCH, System.Runtime.InteropServices.Marshal.GetLastPInvokeError());
    }

    [Fact]
    public async Task Reaper_HoldsOnePidfdPerLiveChild_AndClosesItOnceReaped()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")],
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
        try
        {
            Assert.Equal(1, PidfdsFor(child.Pid));
        }
        finally { await KillAndReap(child.Pid); }
        Assert.Equal(0, PidfdsFor(child.Pid)); // closed before the exit is delivered
    }

    /// <summary>Descriptors of this process that are pidfds for <paramref name="pid"/> (fdinfo shows "Pid:").</summary>
    private static int PidfdsFor(int pid)
    {
        var count = 0;
        foreach (var info in Directory.EnumerateFiles("/proc/self/fdinfo"))
        {
            try
            {
                if (File.ReadLines(info).Any(line => line == $"Pid:\t{pid}"))
                    count++;
            }
            catch (IOException) { } // closed meanwhile
        }
        return count;
    }

    private static unsafe ExitStatus WaitFor(int pid)
    {
        int status, rc;
        do rc = Processes.WaitPid(pid, &status, 0);
        while (rc < 0 && System.Runtime.InteropServices.Marshal.GetLastPInvokeError() == Errno.EINTR);
        Assert.Equal(pid, rc);
        return ExitStatus.FromWaitStatus(status);
    }
}
