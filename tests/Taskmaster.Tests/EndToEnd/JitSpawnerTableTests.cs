// Regression for the daemon aborting under the JIT (issue 14): the spawner thread's private descriptor table
// had closed the runtime's W^X memfd, so the first method the JIT compiled on that thread aborted the process
// (SIGABRT right after "taskmasterd started", in most starts). The daemon is run as `dotnet taskmasterd.dll`,
// the JIT build users get from `dotnet run`, with the runtime's default (W^X on) and with W^X off.
namespace Taskmaster.Tests.EndToEnd;

public class JitSpawnerTableTests
{
    private const int Starts = 6;

    public static TheoryData<string> WriteXorExecute => ["default", "off"];

    [Theory]
    [MemberData(nameof(WriteXorExecute))]
    public async Task JitDaemon_StartsAndRestartsSeveralPrograms_WithoutAborting(string writeXorExecute)
    {
        // Each start spawns six programs and then six again, so the spawner thread runs (and the JIT compiles) its
        // whole path; before the fix 3 programs were enough to abort 14 starts in 20.
        for (var start = 1; start <= Starts; start++)
        {
            await using var daemon = DaemonUnderTest.Create(string.Join("\n", Enumerable.Range(1, 6).Select(i => $"""
                [program:p{i}]
                command = {"{fixtures}"}/sleep_forever.sh
                startsecs = 0

                """)));
            daemon.Launcher = writeXorExecute == "off"
                ? ["env", "DOTNET_EnableWriteXorExecute=0"]
                : ["env", "-u", "DOTNET_EnableWriteXorExecute"];
            await daemon.StartAsync();

            await daemon.WaitForStatusAsync(AllSixRunning);
            var restart = await daemon.CtlAsync("restart", "all");
            Assert.True(restart.ExitCode == 0, $"start {start}: restart all said\n{restart}\n{daemon.Output}");
            await daemon.WaitForStatusAsync(AllSixRunning);

            Assert.False(daemon.Process.HasExited, $"start {start}: the daemon died\n{daemon.Output}");
            daemon.Signal(15);
            Assert.Equal(0, await daemon.WaitForExitAsync());
        }
    }

    private static bool AllSixRunning(string[] lines) => lines.Count(l => l.Contains(" RUNNING ")) == 6;
}
