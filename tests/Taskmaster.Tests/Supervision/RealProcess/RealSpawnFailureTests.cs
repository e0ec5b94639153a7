using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>Spawns that cannot happen: each ends FATAL and keeps its own reason as the spawn error.</summary>
[Collection(RealProcessCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class RealSpawnFailureTests
{
    [Fact]
    public async Task SpawnFailure_MissingCommandNonExecutableFileAndBadDirectory_EachEndFatalWithItsOwnReason()
    {
        await using var real = Start(dir =>
        {
            File.WriteAllText(Path.Combine(dir, "plain.sh"), "#!/bin/sh\nexit 0\n");
            File.SetUnixFileMode(Path.Combine(dir, "plain.sh"), UnixFileMode.UserRead | UnixFileMode.UserWrite);
            return Program("missing", Path.Combine(dir, "no-such-program"), "startretries = 1")
                + Program("plain", Path.Combine(dir, "plain.sh"), "startretries = 1")
                + Program("nodir", Fixture("sleep_forever.sh"), $"directory = {Path.Combine(dir, "no-such-dir")}", "startretries = 1");
        });

        var expected = new Dictionary<string, string>
        {
            ["missing"] = $"can't find command '{Path.Combine(real.Dir, "no-such-program")}'",
            ["plain"] = $"command at '{Path.Combine(real.Dir, "plain.sh")}' is not executable",
            ["nodir"] = $"bad directory '{Path.Combine(real.Dir, "no-such-dir")}'",
        };
        foreach (var (name, reason) in expected)
        {
            await real.WaitForState(name, ProcessState.Fatal);
            var snapshot = await real.Get(name);
            Assert.Equal(reason, snapshot.SpawnError);
            Assert.Equal(reason, snapshot.Description);
            Assert.Null(snapshot.Pid);
            // startretries = 1: two attempts, each failing the same way, and no child ever existed.
            Assert.Equal(2, real.Log.Activity.Count(line => line == $"spawnerr: {reason}"));
            Assert.Contains($"gave up: {name} entered FATAL state, too many start retries too quickly", real.Log.Activity);
        }
        Assert.Empty(real.AllSpawnedPids());
    }
}
