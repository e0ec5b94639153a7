// rlimit_* with real processes: the child reads its own limits in /proc (set before its first instruction, by the
// prlimit exec prefix), its pid is still the supervised one, and a bad value refuses the file at file:line:col with
// nothing started.
namespace Taskmaster.Tests.EndToEnd;

public class ResourceLimitEndToEndTests
{
    [Fact]
    public async Task Limits_AreTheChildsFromItsStart_AndTheSupervisedPidIsTheProgram()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:lim]
            command = {fixtures}/report_env_and_limits.sh {dir}/lim.txt
            startsecs = 0
            rlimit_nofile = 256:512
            rlimit_core = 0
            LimitFSIZE = 1MB:infinity
            """);
        await daemon.StartAsync();
        var pid = (await daemon.WaitForRunningAsync("lim"))["lim"].Pid;
        var report = await ChildSetupKeysSupport.ReportAsync(daemon, "lim.txt");

        Assert.Equal($"pid={pid}", report[0]);
        Assert.Equal(["256", "512"], Columns(report, "Max open files"));
        Assert.Equal(["0", "0"], Columns(report, "Max core file size"));
        Assert.Equal(["1048576", "unlimited"], Columns(report, "Max file size"));
    }

    [Fact]
    public async Task SoftAboveHard_IsRefusedAtTheValue_NothingStarts()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:good]
            command = {fixtures}/report_env_and_limits.sh {dir}/good.txt
            startsecs = 0

            [program:lim]
            command = {fixtures}/report_env_and_limits.sh {dir}/lim.txt
            rlimit_nofile = 512:256
            rlimit_nproc = lots
            """);
        var line = ChildSetupKeysSupport.LineOf(daemon.ConfigPath, "rlimit_nofile");
        var stderr = await ChildSetupKeysSupport.StartIsRefusedAsync(daemon);
        Assert.Contains($"{daemon.ConfigPath}:{line}:17: [program:lim] rlimit_nofile: the soft limit 512 is above the hard limit 256", stderr);
        Assert.Contains($"{daemon.ConfigPath}:{line + 1}:16: [program:lim] rlimit_nproc: 'lots' is not a limit (a number, or infinity)", stderr);
        Assert.False(File.Exists(Path.Combine(daemon.Dir, "good.txt")), "a program started from a refused file");

        var check = await ChildSetupKeysSupport.CheckFailsAsync(daemon);
        Assert.Equal(2, check.Length);
    }

    /// <summary>The soft and hard columns of a /proc/PID/limits row.</summary>
    private static string[] Columns(string[] report, string row)
    {
        var line = report.Single(l => l.StartsWith(row, StringComparison.Ordinal));
        return line[row.Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..2];
    }
}
