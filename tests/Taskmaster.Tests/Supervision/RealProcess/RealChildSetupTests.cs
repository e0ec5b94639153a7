using Taskmaster.Supervision;
using static Taskmaster.Tests.Supervision.RealProcess.RealEngine;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>What the config promises about a child, checked end to end on the running process in /proc.</summary>
[Collection(RealProcessCollection.Name)]
public sealed class RealChildSetupTests
{
    [Fact]
    public async Task Child_IsSessionLeaderWithConfiguredCwdEnvironmentUmaskAndOnlyStandardDescriptors()
    {
        await using var real = Start(dir =>
        {
            Directory.CreateDirectory(Path.Combine(dir, "work"));
            return Program("probe", Fixture("sleep_forever.sh"),
                $"directory = {Path.Combine(dir, "work")}", "umask = 027",
                "environment = TM_GREETING=\"hello, world\",TM_NUMBER=42");
        });
        var pid = await real.RunningPid("probe");
        // The fixture execs sleep in place; what posix_spawn set up must survive that exec.
        Assert.True(await ProcFs.Until(() => ProcFs.Comm(pid) == "sleep", Deadline));

        var entry = ProcFs.Read(pid);
        Assert.Equal(pid, entry?.ProcessGroup);
        Assert.Equal(pid, entry?.Session);
        Assert.Equal(Path.Combine(real.Dir, "work"), new DirectoryInfo($"/proc/{pid}/cwd").ResolveLinkTarget(false)?.FullName);
        Assert.Equal("0027", ProcFs.Status(pid, "Umask"));
        Assert.Equal("0000000000000000", ProcFs.Status(pid, "SigBlk"));
        Assert.Equal("0000000000000000", ProcFs.Status(pid, "SigIgn"));

        var environment = File.ReadAllText($"/proc/{pid}/environ").Split('\0', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("TM_GREETING=hello, world", environment);
        Assert.Contains("TM_NUMBER=42", environment);
        Assert.Contains("SUPERVISOR_ENABLED=1", environment);
        Assert.Contains("SUPERVISOR_PROCESS_NAME=probe", environment);
        Assert.Contains("SUPERVISOR_GROUP_NAME=probe", environment);
        Assert.Contains(environment, v => v.StartsWith("PATH=", StringComparison.Ordinal));

        var descriptors = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Select(Path.GetFileName).Order().ToList();
        Assert.Equal(["0", "1", "2"], descriptors);
    }
}
