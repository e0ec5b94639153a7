using System.Collections.Immutable;
using Microsoft.Extensions.Time.Testing;
using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Supervision;

/// <summary>
/// A <see cref="Supervisor"/> wired to fakes and a <see cref="FakeTimeProvider"/>. Every helper waits
/// for the loop to be idle, so tests are deterministic without any sleep.
/// </summary>
internal sealed class EngineHarness : IAsyncDisposable
{
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2024, 3, 5, 14, 0, 0, TimeSpan.Zero));
    public FakeSpawner Spawner { get; } = new();
    public FakeSignaller Signaller { get; } = new();
    public FakeExitWatcher Watcher { get; } = new();
    public FakeChildLogs Logs { get; } = new();
    public CapturingLogger Log { get; } = new();
    public Supervisor Engine { get; }

    private EngineHarness(SupervisorConfig config, IReadOnlyDictionary<string, string>? baseEnv)
    {
        Time.SetLocalTimeZone(TimeZoneInfo.Utc);
        Engine = new Supervisor(config, Spawner, Signaller, Watcher, Logs, Time, Log,
            baseEnv ?? new Dictionary<string, string> { ["PATH"] = "/usr/bin:/bin" });
    }

    public static ProcessConfig Proc(string name, string? group = null) => new()
    {
        Name = name,
        GroupName = group ?? name,
        ProgramName = name,
        ProcessNum = 0,
        Command = new CommandLine($"/bin/{name}", [$"/bin/{name}"]),
        Stdout = new LogTarget($"/tmp/{name}.out", false, 0, 0),
        Stderr = new LogTarget($"/tmp/{name}.err", false, 0, 0),
    };

    public static SupervisorConfig Config(IEnumerable<ProcessConfig> processes, ImmutableArray<KeyValuePair<string, string>> daemonEnv = default) => new()
    {
        SourceFile = "/tmp/taskmaster.conf",
        Daemon = new DaemonSettings
        {
            Logfile = "/tmp/taskmasterd.log", Pidfile = "/tmp/taskmasterd.pid", ChildLogDir = "/tmp",
            Environment = daemonEnv.IsDefault ? [] : daemonEnv,
        },
        Groups = [.. processes.GroupBy(p => p.GroupName)
            .Select(g => new GroupConfig(g.Key, g.Min(p => p.Priority), [.. g]))
            .OrderBy(g => g.Priority)],
    };

    public static async Task<EngineHarness> RunAsync(params ProcessConfig[] processes) => await RunAsync(Config(processes));

    public static async Task<EngineHarness> RunAsync(SupervisorConfig config, IReadOnlyDictionary<string, string>? baseEnv = null)
    {
        var h = new EngineHarness(config, baseEnv);
        h.Engine.Run();
        await h.Idle();
        return h;
    }

    public Task Idle() => Engine.WhenIdleAsync().WaitAsync(TimeSpan.FromSeconds(30));

    public async Task Advance(double seconds)
    {
        Time.Advance(TimeSpan.FromSeconds(seconds));
        await Idle();
    }

    public async Task<ProcessSnapshot> Get(string fullName) =>
        (await Engine.GetProcessesAsync()).Single(p => p.FullName == fullName);

    public async Task<ProcessState> State(string fullName) => (await Get(fullName)).State;

    public async Task<int> Pid(string fullName) => (await Get(fullName)).Pid ?? throw new InvalidOperationException($"{fullName} has no pid");

    /// <summary>Makes the current child of <paramref name="fullName"/> exit, as the exit watcher would report it.</summary>
    public async Task Exit(string fullName, ExitStatus status)
    {
        Watcher.Exit(await Pid(fullName), status);
        await Idle();
    }

    public async Task<OperationResult> Start(string name, bool wait = false) => (await Engine.StartAsync([name], wait)).Single();
    public async Task<OperationResult> Stop(string name, bool wait = false) => (await Engine.StopAsync([name], wait)).Single();

    public async ValueTask DisposeAsync() => await Engine.DisposeAsync();
}
