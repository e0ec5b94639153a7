// Tier (b): the supervision engine wired to the real posix_spawn spawner, the pidfd exit watcher, kill(2)
// and the system clock, driving real children from tests/fixtures. The programs come from INI text
// through the real config loader, so these tests also check that a config means what it says. Output
// goes to NONE (no pipes) until the real log capture is merged.
using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Supervision;
using Taskmaster.Tests.Spawning;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>A running <see cref="Supervisor"/> over real processes in a temp directory. Dispose shuts it down,
/// SIGKILLs anything left in the process groups it created, and removes the directory.</summary>
internal sealed class RealEngine : IAsyncDisposable
{
    /// <summary>Generous: the machine has two cores shared with other builds.</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly PosixSpawner _spawner = new();
    private readonly ExitWatcher _watcher = new();
    private Supervisor? _engine;

    private RealEngine() => Dir = Directory.CreateTempSubdirectory("tm-real-").FullName;

    /// <summary>A private temp directory (config file, working directories, marker files).</summary>
    public string Dir { get; }

    public TimedLogger Log { get; } = new();

    public Supervisor Engine => _engine ?? throw new InvalidOperationException("not started");

    /// <summary>Loads <c>[supervisord]</c> plus <paramref name="programs"/>(Dir) and runs the engine (autostart included).</summary>
    public static RealEngine Start(Func<string, string> programs)
    {
        var real = new RealEngine();
        try
        {
            var text = $"[supervisord]\nchildlogdir = {real.Dir}\n\n{programs(real.Dir)}";
            var config = ConfigLoader.LoadText(text, Path.Combine(real.Dir, "taskmaster.conf"));
            real._engine = new Supervisor(config, real._spawner, new ProcessSignaller(), real._watcher,
                new DiscardingChildLogs(), TimeProvider.System, real.Log,
                new Dictionary<string, string> { ["PATH"] = CommandResolver.DefaultPath });
            real._engine.Run();
            return real;
        }
        catch
        {
            real.DisposeAsync().AsTask().GetAwaiter().GetResult();
            throw;
        }
    }

    /// <summary>A <c>[program:x]</c> section with output discarded and the given extra <c>key = value</c> lines.</summary>
    public static string Program(string name, string command, params string[] settings) =>
        $"[program:{name}]\ncommand = {command}\nstdout_logfile = NONE\nstderr_logfile = NONE\n"
        + string.Concat(settings.Select(s => s + "\n")) + "\n";

    public static string Fixture(string name) => SpawnTestKit.Fixture(name);

    public async Task<ProcessSnapshot> Get(string fullName) =>
        (await Engine.GetProcessesAsync()).Single(p => p.FullName == fullName);

    public Task WaitForState(string fullName, ProcessState state, TimeSpan? deadline = null) =>
        Log.Until(async () => (await Get(fullName)).State == state, deadline ?? Deadline, $"{fullName} to be {state}");

    public async Task<int> RunningPid(string fullName)
    {
        await WaitForState(fullName, ProcessState.Running);
        return (await Get(fullName)).Pid ?? throw new InvalidOperationException($"{fullName} is RUNNING without a pid");
    }

    /// <summary>Pids of <paramref name="name"/>'s children in spawn order, from the <c>spawned:</c> lines.</summary>
    public List<int> SpawnedPids(string name) => [.. Log.Of(TimedLogger.Spawned, name).Select(e => e.Pid!.Value)];

    public HashSet<int> AllSpawnedPids() => [.. Log.Of(TimedLogger.Spawned).Select(e => e.Pid!.Value)];

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_engine is not null)
            {
                try { await _engine.ShutdownAsync().WaitAsync(TimeSpan.FromSeconds(60)); }
                catch (Exception e) when (e is TimeoutException or ObjectDisposedException) { }
                // Whatever a failed shutdown or a stray grandchild left running in our groups.
                foreach (var p in ProcFs.InGroups(AllSpawnedPids()).Where(p => !p.IsZombie))
                    new ProcessSignaller().Signal(p.Pid, Signals.SIGKILL, toGroup: false);
                await _engine.DisposeAsync();
            }
        }
        finally
        {
            _watcher.Dispose();
            _spawner.Dispose();
            try { Directory.Delete(Dir, recursive: true); }
            catch (IOException) { }
        }
    }
}
