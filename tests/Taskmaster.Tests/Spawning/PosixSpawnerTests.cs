using Taskmaster.Posix;
using Taskmaster.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Spawning;

/// <summary>Every test below, with the spawner on a descriptor table of its own (what taskmasterd does).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PosixSpawnerPrivateTableTests() : PosixSpawnerTests(privateTable: true);

/// <summary>Every test below, with the spawner on the process's table (where the kernel refuses a private one, e.g. no pidfd_getfd).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class PosixSpawnerSharedTableTests() : PosixSpawnerTests(privateTable: false);

/// <summary>What a child started by <see cref="PosixSpawner"/> sees: session, signals, descriptors, cwd, env, umask.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public abstract class PosixSpawnerTests : IDisposable
{
    private readonly bool _privateTable;
    private readonly PosixSpawner _spawner;

    protected PosixSpawnerTests(bool privateTable)
    {
        ChildExits.EnsureWatching();
        _privateTable = privateTable;
        _spawner = new PosixSpawner(new PosixSpawnerOptions { PrivateDescriptorTable = privateTable });
    }

    public void Dispose() => _spawner.Dispose();

    [Fact]
    public void Spawner_IsOnTheTableItWasAskedFor()
    {
        // The test host is a JIT process with the runtime's defaults (W^X on): the private table is taken all the same.
        Assert.Equal(_privateTable, _spawner.HasPrivateDescriptorTable);
    }

    [Fact]
    public unsafe void Spawner_KeepsNoCopyOfDescriptorsOpenBeforeIt()
    {
        // The private table starts as a copy of the process's: a pipe's write end left in it would never let the
        // reader see end-of-file (a daemon's log pipe, a test's pipe, a detached copy's stderr).
        var fds = stackalloc int[2];
        Assert.Equal(0, Descriptors.Pipe2(fds, Descriptors.O_CLOEXEC));
        try
        {
            using (new PosixSpawner(new PosixSpawnerOptions { PrivateDescriptorTable = _privateTable }))
            {
                Descriptors.Close(fds[1]);
                fds[1] = -1;
                var poll = new Descriptors.PollFd { Fd = fds[0], Events = Descriptors.POLLIN };
                Assert.Equal(1, Descriptors.Poll(&poll, 1, 10_000));
                byte b;
                Assert.Equal(0, Descriptors.Read(fds[0], &b, 1)); // end of file: no other writer anywhere
            }
        }
        finally
        {
            Descriptors.Close(fds[0]);
            if (fds[1] >= 0) Descriptors.Close(fds[1]);
        }
    }

    [Fact]
    public async Task Spawn_Child_LeadsItsOwnSessionAndProcessGroup()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")])));
        try
        {
            var entry = ProcFs.Read(child.Pid);
            Assert.NotNull(entry);
            Assert.Equal(child.Pid, entry.Value.ProcessGroup);
            Assert.Equal(child.Pid, entry.Value.Session);
        }
        finally { await KillAndReap(child.Pid); }
    }

    [Fact]
    public async Task Spawn_Child_HasDefaultSignalDispositionsAndEmptyMask()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")])));
        try
        {
            // Read once the script has exec'd into sleep: what posix_spawn set survives exec.
            Assert.True(await ProcFs.Until(() => ProcFs.Comm(child.Pid) == "sleep"));
            Assert.Equal("0000000000000000", ProcFs.Status(child.Pid, "SigIgn"));
            Assert.Equal("0000000000000000", ProcFs.Status(child.Pid, "SigBlk"));
        }
        finally { await KillAndReap(child.Pid); }
    }

    [Fact]
    public async Task Spawn_Child_SeesOnlyDescriptors0To2_EvenWhenTheDaemonHasInheritableOnes()
    {
        // .NET opens everything O_CLOEXEC, so make a descriptor without it: only closefrom(3) keeps it out.
        var fds = new int[2];
        unsafe
        {
            fixed (int* p = fds)
                Assert.Equal(0, Descriptors.Pipe2(p, 0));
        }
        try
        {
            var child = Started(_spawner.Spawn(Request([Fixture("list_fds.sh")], stderr: OutputRouting.Discard)));
            var output = await ReadToEnd(child.StdoutPipe);
            Assert.Equal(["0", "1", "2"], output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
        }
        finally
        {
            Descriptors.Close(fds[0]);
            Descriptors.Close(fds[1]);
        }
    }

    [Fact]
    public async Task Spawn_AppliesWorkingDirectoryEnvironmentAndUmask_WithStdinOnAPipe()
    {
        var dir = TempDir();
        try
        {
            var child = Started(_spawner.Spawn(Request([Fixture("report_child_env.sh")],
                env: Env(("TASKMASTER_TEST_VAR", "hello world")), cwd: dir, umask: 0b000_010_111 /* 027 */)));
            var stderr = ReadToEnd(child.StderrPipe);
            var lines = (await ReadToEnd(child.StdoutPipe)).Split('\n');
            Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));

            Assert.Contains($"cwd={dir}", lines);
            Assert.Contains("umask=0027", lines);
            Assert.Contains("var=hello world", lines);
            Assert.Contains(lines, l => l.StartsWith("stdin=pipe:[", StringComparison.Ordinal));
            child.StdinPipe?.Dispose();
            Assert.Equal("to-stderr\n", await stderr);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead,
                File.GetUnixFileMode(Path.Combine(dir, "created.txt")));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Spawn_StdinPipe_CarriesWhatTheDaemonWrites_AndItsCloseIsTheChildsEndOfInput()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("stdin_echo.sh")], stderr: OutputRouting.Discard)));
        Assert.NotNull(child.StdinPipe);
        Assert.Equal((6, 0), Descriptors.WriteAll(child.StdinPipe, "hello\n"u8));
        child.StdinPipe.Dispose();

        Assert.Equal("got hello\n", await ReadToEnd(child.StdoutPipe));
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
    }

    [Fact]
    public async Task Begin_SeveralBeforeCollecting_EachChildGetsItsOwnPipes()
    {
        // Queued spawns: each one's ends travel with it, whatever ran on the spawner thread before it.
        var pending = Enumerable.Range(0, 3)
            .Select(_ => _spawner.Begin(Request([Fixture("stdin_echo.sh")], stderr: OutputRouting.Discard))).ToList();
        var children = pending.Select(p => Started(p.Collect())).ToList();
        Assert.Equal(3, children.Select(c => c.Pid).Distinct().Count());
        for (var i = 0; i < children.Count; i++)
        {
            Assert.Equal((8, 0), Descriptors.WriteAll(children[i].StdinPipe!, System.Text.Encoding.ASCII.GetBytes($"child {i}\n")));
            children[i].StdinPipe!.Dispose();
        }
        for (var i = 0; i < children.Count; i++)
        {
            Assert.Equal($"got child {i}\n", await ReadToEnd(children[i].StdoutPipe));
            Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(children[i].Pid));
        }
    }

    [Fact]
    public async Task Begin_ThenDispose_TheQueuedSpawnStillRuns_AndCollectDoesNotHang()
    {
        var spawner = new PosixSpawner(new PosixSpawnerOptions { PrivateDescriptorTable = _privateTable });
        var pending = spawner.Begin(Request([Fixture("exit_with.sh"), "3"], stdout: OutputRouting.Discard, stderr: OutputRouting.Discard));
        spawner.Dispose();
        var child = Started(pending.Collect());
        Assert.Equal(ExitStatus.Exited(3), await ChildExits.Of(child.Pid));
        Assert.Throws<ObjectDisposedException>(() => spawner.Begin(Request([Fixture("exit_with.sh"), "0"])));
    }

    [Fact]
    public async Task Spawn_StdinPipe_IsNonBlocking_AFullPipeIsEagainNotAStall()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("sleep_forever.sh")])));
        try
        {
            var (written, errno) = Descriptors.WriteAll(child.StdinPipe!, new byte[4 << 20]);
            Assert.Equal(Errno.EAGAIN, errno);
            Assert.InRange(written, 4096, (4 << 20) - 1);
        }
        finally
        {
            child.StdinPipe?.Dispose();
            await KillAndReap(child.Pid);
        }
    }

    [Fact]
    public async Task Spawn_PerSpawnUmask_DoesNotChangeTheDaemonsUmask()
    {
        var before = File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:"));
        var child = Started(_spawner.Spawn(Request([Fixture("exit_with.sh"), "0"], umask: 0b000_111_111,
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
        Assert.True(_spawner.HasPrivateUmask);
        Assert.Equal(before, File.ReadLines("/proc/self/status").First(l => l.StartsWith("Umask:")));
    }

    [Fact]
    public async Task Spawn_StderrSameAsStdout_SharesOnePipe()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("report_child_env.sh")], cwd: Path.GetTempPath(),
            stderr: OutputRouting.SameAsStdout)));
        Assert.Null(child.StderrPipe);
        var output = await ReadToEnd(child.StdoutPipe);
        Assert.Contains("to-stderr\n", output);
        Assert.Contains("done\n", output);
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
    }

    [Fact]
    public async Task Spawn_Discard_GivesNoPipes()
    {
        var child = Started(_spawner.Spawn(Request([Fixture("report_child_env.sh")], cwd: Path.GetTempPath(),
            stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
        Assert.Null(child.StdoutPipe);
        Assert.Null(child.StderrPipe);
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
    }

    [Fact]
    public async Task Spawn_LooksCommandUpOnTheChildsPath_NotTheDaemons()
    {
        var dir = TempDir();
        try
        {
            var tool = Path.Combine(dir, "tm_only_here");
            File.WriteAllText(tool, "#!/bin/sh\necho found-it\n");
            File.SetUnixFileMode(tool, (UnixFileMode)0b111_101_101);

            var child = Started(_spawner.Spawn(Request(["tm_only_here"], env: [new("PATH", $"/nonexistent:{dir}")])));
            Assert.Equal("found-it\n", await ReadToEnd(child.StdoutPipe));
            Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));

            // And the daemon's PATH is not consulted: sleep exists there, not on the child's PATH.
            var failed = Assert.IsType<SpawnResult.Failed>(_spawner.Spawn(Request(["sleep", "1"], env: [new("PATH", dir)])));
            Assert.Equal("can't find command 'sleep'", failed.Reason);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public async Task Spawn_WithoutPathInEnvironment_UsesDefaultPath()
    {
        var child = Started(_spawner.Spawn(Request(["true"], env: [], stdout: OutputRouting.Discard, stderr: OutputRouting.Discard)));
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
    }
}
