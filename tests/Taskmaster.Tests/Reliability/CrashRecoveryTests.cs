using System.Diagnostics;
using Taskmaster.Posix;
using Taskmaster.Recovery;
using Taskmaster.Tests.EndToEnd;
using static Taskmaster.Tests.Reliability.ReliabilityTools;

namespace Taskmaster.Tests.Reliability;

/// <summary>DESIGN §5: a daemon that crashed and is started again does not run two copies.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public class CrashRecoveryTests
{
    private static readonly string[] Names = ["p1", "p2", "p3", "p4", "p5"];

    private static string FivePrograms() => string.Concat(Names.Select(n => $"""

        [program:{n}]
        command = {"{fixtures}"}/wait_on_grandchild.sh {"{dir}"}/{n}.tag
        startsecs = 0
        stopwaitsecs = 2

        """));

    [Fact]
    public async Task SigkillDaemon_ThenRestart_StopsOldChildrenAndGrandchildren_AndRunsEachProgramOnce()
    {
        await using var daemon = DaemonUnderTest.Create(FivePrograms());
        await daemon.StartAsync();
        var oldPids = await WaitAllRunningAsync(daemon, Names);
        var oldGrandchildren = oldPids.Values.SelectMany(p => ProcFs.GroupMembers(p).Where(m => m != p)).ToList();
        Assert.Equal(5, oldGrandchildren.Count);
        var childrenFile = new ChildRecordFile(daemon.PidfilePath + ".children");
        await WaitUntilAsync(() => childrenFile.Read(out _).Count == 5, "the children file lists five children");

        daemon.Signal(9);
        await daemon.WaitForExitAsync();
        Assert.All(oldPids.Values, pid => Assert.True(ProcFs.IsAlive(pid), "a SIGKILLed daemon leaves its children running"));

        await daemon.StartAsync();
        var newPids = await WaitAllRunningAsync(daemon, Names);

        foreach (var (name, pid) in oldPids)
        {
            Assert.False(ProcFs.IsAlive(pid), $"old {name} (pid {pid}) still runs");
            await daemon.WaitForOutputAsync($"recovery: '{name}' (pid {pid}) from a previous taskmasterd is still running");
            Assert.NotEqual(pid, newPids[name]);
        }
        Assert.All(oldGrandchildren, g => Assert.False(ProcFs.IsAlive(g), $"old grandchild {g} still runs"));
        foreach (var name in Names)
            Assert.Equal([newPids[name]], Tagged($"/{name}.tag"));
    }

    [Fact]
    public async Task Restart_WhenRecordedPidWasRecycled_LeavesThatProcessAlone()
    {
        await using var daemon = DaemonUnderTest.Create("");
        // A process of its own group standing in for the new owner of a recycled pid.
        using var stranger = Process.Start(new ProcessStartInfo("setsid", ["sleep", "3600"]) { UseShellExecute = false })!;
        try
        {
            await WaitUntilAsync(() => ProcFs.ProcessGroup(stranger.Id) == stranger.Id, "the stranger leads its group");
            var real = ProcStat.Read(stranger.Id)!.Value;
            new ChildRecordFile(daemon.PidfilePath + ".children")
                .Write([new ChildRecord("ghost", stranger.Id, stranger.Id, real.StartTicks - 1)]);

            await daemon.StartAsync();

            // The daemon's stderr is read asynchronously: wait for the line rather than expect it already captured.
            await daemon.WaitForOutputAsync($"recovery: pid {stranger.Id} recorded for 'ghost' now belongs to another process; left alone");
            Assert.True(ProcFs.IsAlive(stranger.Id));
            Assert.False(stranger.HasExited);
        }
        finally
        {
            ProcFs.Kill(stranger.Id, 9);
        }
    }

    /// <summary>A stranger's process group: what a forged children file points the daemon at.</summary>
    private static async Task<Process> StartVictimAsync()
    {
        var victim = Process.Start(new ProcessStartInfo("setsid", ["sleep", "3600"]) { UseShellExecute = false })!;
        await WaitUntilAsync(() => ProcFs.ProcessGroup(victim.Id) == victim.Id, "the victim leads its group");
        return victim;
    }

    /// <summary>A line naming the victim's group under a dead pid and start time 0, which matched any group before.</summary>
    private static ChildRecord ForgedRecord(Process victim) => new("web", int.MaxValue - 7, victim.Id, 0);

    [RequiresFact(Requirement.Root)]
    public async Task Restart_WithAChildrenFileWrittenByAnotherUser_SignalsNothing()
    {
        await using var daemon = DaemonUnderTest.Create("");
        using var victim = await StartVictimAsync();
        try
        {
            var file = daemon.PidfilePath + ".children";
            new ChildRecordFile(file).Write([ForgedRecord(victim)]);
            Security.StateFileTests.Chown(file, 65534); // as if the other user had planted it

            await daemon.StartAsync();

            await daemon.WaitForOutputAsync($"recovery: not trusting the children file: {file} is owned by uid 65534");
            Assert.True(ProcFs.IsAlive(victim.Id), "the forged line got the victim signalled");
        }
        finally
        {
            ProcFs.Kill(victim.Id, 9);
        }
    }

    [Fact]
    public async Task Restart_WithARecordOfAGroupThatIsNotOurChild_LeavesItAlone()
    {
        await using var daemon = DaemonUnderTest.Create("");
        using var victim = await StartVictimAsync();
        try
        {
            new ChildRecordFile(daemon.PidfilePath + ".children").Write([ForgedRecord(victim)]);

            await daemon.StartAsync();

            await daemon.WaitForOutputAsync($"recovery: process group {victim.Id} recorded for 'web' is not a child of ours");
            Assert.True(ProcFs.IsAlive(victim.Id), "a group without our marker was signalled");
        }
        finally
        {
            ProcFs.Kill(victim.Id, 9);
        }
    }

    [Fact]
    public async Task StateFiles_UnderUmask000_AreNotWritableByOthers()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:solo]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        daemon.Launcher = ["sh", "-c", "umask 000; exec \"$@\"", "sh"];
        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, ["solo"]);
        var children = daemon.PidfilePath + ".children";
        await WaitUntilAsync(() => new ChildRecordFile(children).Read(out _).Count == 1, "solo is recorded");

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(children));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead,
            File.GetUnixFileMode(daemon.PidfilePath));
    }

    [RequiresFact(Requirement.Root)]
    public async Task Start_WithThePidfileInADirectoryOwnedByAnotherUser_RefusesWithTheReason()
    {
        await using var daemon = DaemonUnderTest.Create("");
        var theirs = Path.Combine(daemon.Dir, "theirs");
        Directory.CreateDirectory(theirs);
        Security.StateFileTests.Chown(theirs, 65534);
        var pidfile = Path.Combine(theirs, "taskmasterd.pid");

        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath, "-j", pidfile]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot use pidfile {pidfile}: directory {theirs} is owned by uid 65534", run.Stdout + run.Stderr);
    }

    [Fact]
    public async Task Restart_WhenLeaderIsGoneButGrandchildRemains_StopsTheGrandchild()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:solo]
            command = {fixtures}/wait_on_grandchild.sh {dir}/solo.tag
            startsecs = 0
            """);
        await daemon.StartAsync();
        var pid = (await WaitAllRunningAsync(daemon, ["solo"]))["solo"];
        var grandchild = ProcFs.GroupMembers(pid).Single(m => m != pid);
        await WaitUntilAsync(() => new ChildRecordFile(daemon.PidfilePath + ".children").Read(out _).Count == 1, "solo is recorded");

        daemon.Signal(9);
        await daemon.WaitForExitAsync();
        ProcFs.Kill(pid, 9); // the leader dies while no daemon watches; its sleep lives on in the group
        await WaitUntilAsync(() => !ProcFs.IsAlive(pid), "the leader is gone");
        Assert.True(ProcFs.IsAlive(grandchild));

        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, ["solo"]);

        Assert.False(ProcFs.IsAlive(grandchild), "the orphaned grandchild still runs");
        await daemon.WaitForOutputAsync($"recovery: 'solo' (pid {pid}) is gone but 1 process(es) of its group remain");
    }

    [Fact]
    public async Task CleanShutdown_RemovesTheChildrenFile()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:solo]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, ["solo"]);
        var file = daemon.PidfilePath + ".children";
        await WaitUntilAsync(() => new ChildRecordFile(file).Read(out _).Count == 1, "solo is recorded");
        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.False(File.Exists(file));
    }
}
