using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Spawning;

/// <summary>
/// <c>rlimit_*</c> at the spawner: the child's own limits from its first instruction (prlimit execs in place, so the
/// pid is the program's), and a spawn error instead of a child when the limits cannot be given.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnLimitsTests
{
    [Fact]
    public async Task Limits_AreTheChilds_AndItsPidIsTheProgram()
    {
        ChildExits.EnsureWatching();
        using var spawner = new PosixSpawner();
        var request = Request(["/bin/sh", "-c", "echo $$; ulimit -Sn; ulimit -Hn; ulimit -c"]) with
        {
            Limits = [new ResourceLimit(ResourceLimits.RLIMIT_NOFILE, "nofile", 100, 200), new ResourceLimit(ResourceLimits.RLIMIT_CORE, "core", 0, 0)],
        };
        var child = Started(spawner.Spawn(request));
        var lines = (await ReadToEnd(child.StdoutPipe)).Split('\n');
        Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));
        Assert.Equal([child.Pid.ToString(), "100", "200", "0", ""], lines);
    }

    [Fact]
    public void AHardLimitAboveTheDaemonsOwn_NotRoot_IsASpawnError()
    {
        Assert.Equal(0, ResourceLimits.GetRlimit(ResourceLimits.RLIMIT_NOFILE, out var own));
        if (own.Max == ResourceLimits.Infinity) return; // nothing is above an unlimited hard limit
        using var spawner = new PosixSpawner(new PosixSpawnerOptions { EffectiveUidOverride = 1000 });
        var request = Request(["/bin/true"]) with { Limits = [new ResourceLimit(ResourceLimits.RLIMIT_NOFILE, "nofile", 10, own.Max + 1)] };
        var failed = Assert.IsType<SpawnResult.Failed>(spawner.Spawn(request));
        Assert.Contains($"rlimit_nofile=10:{own.Max + 1} is above taskmasterd's own hard limit ({own.Max}); only root may raise it", failed.Reason);
    }

    [Fact]
    public void WithoutPrlimit_IsASpawnErrorSayingSo()
    {
        using var spawner = new PosixSpawner(new PosixSpawnerOptions { PrlimitPath = "/nonexistent/prlimit" });
        var request = Request(["/bin/true"]) with { Limits = [new ResourceLimit(ResourceLimits.RLIMIT_CORE, "core", 0, 0)] };
        var failed = Assert.IsType<SpawnResult.Failed>(spawner.Spawn(request));
        Assert.Equal("cannot set resource limits: /nonexistent/prlimit (util-linux) is missing", failed.Reason);
    }
}
