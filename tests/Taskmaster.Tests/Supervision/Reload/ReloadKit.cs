using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Supervision;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Tests.Supervision.Reload;

/// <summary>
/// An <see cref="EngineHarness"/> plus a <see cref="ConfigurationController"/> whose "config file" is whatever the
/// test sets in <see cref="Next"/> (or a load failure in <see cref="Broken"/>).
/// </summary>
internal sealed class ReloadKit : IAsyncDisposable
{
    public EngineHarness H { get; }
    public ConfigurationController Control { get; }
    public SupervisorConfig Next { get; set; }
    public ConfigException? Broken { get; set; }

    private ReloadKit(EngineHarness h, SupervisorConfig initial)
    {
        H = h;
        Next = initial;
        Control = new ConfigurationController(h.Engine, () => Broken is { } e ? throw e : Next);
    }

    /// <summary>Runs <paramref name="processes"/>, with every autostarted one already RUNNING.</summary>
    public static async Task<ReloadKit> RunningAsync(params ProcessConfig[] processes)
    {
        var config = EngineHarness.Config(processes);
        var kit = new ReloadKit(await EngineHarness.RunAsync(config), config);
        await kit.H.Advance(60); // well past every startsecs
        return kit;
    }

    /// <summary>Instance <paramref name="num"/> of a numprocs program, named as the loader names it (<c>web_02</c>).</summary>
    public static ProcessConfig Instance(string program, int num) =>
        EngineHarness.Proc(program) with { Name = $"{program}_{num:00}", ProcessNum = num };

    public static ProcessConfig[] Instances(string program, int count) => [.. Enumerable.Range(0, count).Select(i => Instance(program, i))];

    public void Set(params ProcessConfig[] processes) => Next = EngineHarness.Config(processes);

    /// <summary>Starts an update and lets the loop settle; the task completes once every stopped child is reaped.</summary>
    public async Task<Task<IReadOnlyList<GroupUpdateResult>>> BeginUpdate(params string[] groups)
    {
        var update = Control.UpdateAsync(groups);
        // The controller hops to the loop and back; wait until the loop has taken the command.
        for (var i = 0; i < 3 && !update.IsCompleted; i++) await H.Idle();
        return update;
    }

    public async Task<List<string>> Update(params string[] groups) =>
        Lines(await Control.UpdateAsync(groups).WaitAsync(TimeSpan.FromSeconds(30)));

    public static List<string> Lines(IEnumerable<GroupUpdateResult> results) => [.. results.Select(r => $"{r.Group}: {GroupUpdateWording.Of(r)}")];

    public async Task<Dictionary<string, int?>> Pids() =>
        (await H.Engine.GetProcessesAsync()).ToDictionary(p => p.FullName, p => p.Pid);

    public async Task<List<string>> Names() => [.. (await H.Engine.GetProcessesAsync()).Select(p => p.FullName)];

    public List<string> ReloadLines => [.. H.Log.Activity.Where(l => l.StartsWith("reload:", StringComparison.Ordinal))];

    public ValueTask DisposeAsync() => H.DisposeAsync();
}
