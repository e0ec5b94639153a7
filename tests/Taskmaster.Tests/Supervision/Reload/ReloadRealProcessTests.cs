// Tier b: the reload path with real children (tests/fixtures scripts), the POSIX spawner, the real reaper and
// the system clock. Children are stopped by a shutdown in finally, whatever the test did.
using System.Collections;
using Taskmaster.Config;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Supervision;
using Taskmaster.Supervision.Reload;
using Taskmaster.Tests.Spawning;

namespace Taskmaster.Tests.Supervision.Reload;

public class ReloadRealProcessTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static ProcessConfig Program(string name, string fixture = "sleep_forever.sh")
    {
        var path = SpawnTestKit.Fixture(fixture);
        return new ProcessConfig
        {
            Name = name, GroupName = name, ProgramName = name, ProcessNum = 0,
            Command = new CommandLine(path, [path]),
            Stdout = LogTarget.Discard, Stderr = LogTarget.Discard, // no pipes: nothing to drain
            StartSecs = 1, StopWaitSecs = 10,
        };
    }

    /// <summary>A real engine whose config file is <see cref="Next"/>.</summary>
    private sealed class RealEngine : IAsyncDisposable
    {
        private readonly PosixSpawner _spawner = new();
        private readonly ExitWatcher _watcher = new();
        public CapturingLogger Log { get; } = new();
        public Supervisor Engine { get; }
        public ConfigurationController Control { get; }
        public SupervisorConfig Next { get; set; }

        public RealEngine(params ProcessConfig[] processes)
        {
            Next = EngineHarness.Config(processes);
            var env = new Dictionary<string, string>();
            foreach (DictionaryEntry e in Environment.GetEnvironmentVariables()) env[(string)e.Key] = (string?)e.Value ?? "";
            Engine = new Supervisor(Next, _spawner, new ProcessSignaller(), _watcher, new FakeChildLogs(), TimeProvider.System, Log, env);
            Control = new ConfigurationController(Engine, () => Next);
        }

        public async Task<Dictionary<string, int?>> Pids() =>
            (await Engine.GetProcessesAsync()).ToDictionary(p => p.FullName, p => p.Pid);

        /// <summary>Waits for a condition over the process list, re-checking on every state change (no sleeps).</summary>
        public async Task WaitFor(Func<IReadOnlyList<ProcessSnapshot>, bool> condition, string what)
        {
            using var cts = new CancellationTokenSource(Deadline);
            await using var changes = Engine.WatchAsync(cts.Token).GetAsyncEnumerator(cts.Token);
            try
            {
                while (!condition(await Engine.GetProcessesAsync(cts.Token)))
                    if (!await changes.MoveNextAsync()) break;
            }
            catch (OperationCanceledException)
            {
                Assert.Fail($"timed out waiting for {what}");
            }
        }

        public Task AllRunning() => WaitFor(ps => ps.All(p => p.State == ProcessState.Running), "every process RUNNING");

        public async ValueTask DisposeAsync()
        {
            try
            {
                await Engine.ShutdownAsync().WaitAsync(Deadline);
            }
            finally
            {
                await Engine.DisposeAsync();
                _watcher.Dispose();
                _spawner.Dispose();
            }
        }
    }

    [Fact]
    public async Task Update_FivePrograms_OneChanged_TheOtherFourKeepTheirPids()
    {
        ProcessConfig[] five = [Program("a"), Program("b"), Program("c"), Program("d"), Program("e")];
        await using var r = new RealEngine(five);
        r.Engine.Run();
        await r.AllRunning();
        var before = await r.Pids();
        Assert.All(before.Values, pid => Assert.NotNull(pid));

        // c needs a new child (new environment); d only a new policy (stopwaitsecs), which keeps its child.
        r.Next = EngineHarness.Config([five[0], five[1], five[2] with { Environment = [new("RELOADED", "yes")] },
            five[3] with { StopWaitSecs = 3 }, five[4]]);
        var results = await r.Control.UpdateAsync([]).WaitAsync(Deadline);
        Assert.Equal(["c: stopped", "c: updated process group", "d: updated process group"], ReloadKit.Lines(results));

        await r.AllRunning();
        var after = await r.Pids();
        foreach (var name in new[] { "a", "b", "d", "e" }) Assert.Equal(before[name], after[name]);
        var oldC = before["c"]!.Value;
        var newC = after["c"]!.Value;
        Assert.NotEqual(oldC, newC);
        Assert.True(ProcFs.IsDead(oldC), "the old child of c must be gone");
        Assert.Contains("RELOADED=yes", File.ReadAllText($"/proc/{newC}/environ").Split('\0'));
        foreach (var name in new[] { "a", "b", "d", "e" }) Assert.False(ProcFs.IsDead(before[name]!.Value));
    }

    [Fact]
    public async Task Update_RemovingAProgramThatIgnoresTerm_KillsItsGroupAndLeavesNothingBehind()
    {
        await using var r = new RealEngine(Program("keep"), Program("stubborn", "ignore_term.sh") with { StopWaitSecs = 1 });
        r.Engine.Run();
        await r.AllRunning();
        var before = await r.Pids();
        var stubborn = before["stubborn"]!.Value;

        r.Next = EngineHarness.Config([Program("keep")]);
        var results = await r.Control.UpdateAsync([]).WaitAsync(Deadline);
        Assert.Equal(["stubborn: stopped", "stubborn: removed process group"], ReloadKit.Lines(results));
        Assert.Contains($"killing 'stubborn' ({stubborn}) with SIGKILL", r.Log.Activity);
        Assert.True(await ProcFs.Until(() => ProcFs.IsDead(stubborn) && ProcFs.InGroups(new HashSet<int> { stubborn }).All(p => p.IsZombie)), "stubborn's group must be empty");
        Assert.Equal(["keep"], (await r.Engine.GetProcessesAsync()).Select(p => p.FullName));
        Assert.Equal(before["keep"], (await r.Pids())["keep"]);
    }
}
