// Fakes for the engine's collaborators (tier a): a spawner that hands out pids, a signaller that records,
// an exit watcher the test drives, a child-log sink, and a logger that keeps the formatted lines.
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;
using Taskmaster.Logging;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;

namespace Taskmaster.Tests.Supervision;

internal sealed class FakeSpawner : ISpawner
{
    private int _nextPid = 1000;
    public ConcurrentQueue<SpawnRequest> Requests { get; } = new();
    /// <summary>Process names whose spawns fail with "can't find command".</summary>
    public ConcurrentDictionary<string, string> FailWith { get; } = new();

    public SpawnResult Spawn(SpawnRequest request)
    {
        Requests.Enqueue(request);
        var name = NameOf(request);
        if (FailWith.TryGetValue(name, out var reason)) return new SpawnResult.Failed(reason);
        return new SpawnResult.Started(Interlocked.Increment(ref _nextPid), null, null);
    }

    public static string NameOf(SpawnRequest r) => r.Environment.First(kv => kv.Key == "SUPERVISOR_PROCESS_NAME").Value;

    public List<string> SpawnedNames => [.. Requests.Select(NameOf)];
    public int CountFor(string name) => Requests.Count(r => NameOf(r) == name);
}

internal sealed class FakeSignaller : IProcessSignaller
{
    public ConcurrentQueue<(int Pid, int Signal, bool ToGroup)> Sent { get; } = new();
    /// <summary>errno to return; 0 = success.</summary>
    public volatile int Errno;

    /// <summary>What each process group holds besides its leader (the test's model of the kernel); none by default.</summary>
    public ConcurrentDictionary<int, int[]> Members { get; } = new();

    public int Signal(int pid, int signal, bool toGroup)
    {
        Sent.Enqueue((pid, signal, toGroup));
        return Errno;
    }

    public bool GroupHasMembers(int pgid) => Members.TryGetValue(pgid, out var pids) && pids.Length > 0;

    public IReadOnlyList<int> GroupMembers(int pgid) => Members.TryGetValue(pgid, out var pids) ? pids : [];

    /// <summary>The signals sent so far, as "pid SIG" or "-pgid SIG" (a group).</summary>
    public List<string> SentText => [.. Sent.Select(s => $"{(s.ToGroup ? "-" : "")}{s.Pid} {Signals.Name(s.Signal)}")];
}

internal sealed class FakeExitWatcher : IExitWatcher
{
    private Action<ChildExit>? _onExit;
    public void Start(Action<ChildExit> onExit) => _onExit = onExit;

    /// <summary>Plays the daemon (child subreaper: orphans' exits are reported) rather than a plain host.</summary>
    public bool AdoptsOrphans { get; set; }

    /// <summary>Times the engine asked to watch adopted orphans.</summary>
    public int AdoptionReads;

    public void WatchAdoptedOrphans() => Interlocked.Increment(ref AdoptionReads);

    /// <summary>A child of the spawner exits: it leads its own group.</summary>
    public void Exit(int pid, ExitStatus status) => _onExit!(new ChildExit(pid, pid, status));

    /// <summary>An adopted orphan of group <paramref name="pgid"/> exits.</summary>
    public void OrphanExit(int pid, int pgid, ExitStatus status) => _onExit!(new ChildExit(pid, pgid, status));

    public void Dispose() { }
}

internal sealed class FakeChildLogs : IChildLogs
{
    public ConcurrentQueue<string> Attached { get; } = new();
    public ConcurrentQueue<string> Cleared { get; } = new();
    /// <summary>Each Prepare call's process names, in the order given.</summary>
    public ConcurrentQueue<string[]> Prepared { get; } = new();
    public Task Prepare(IEnumerable<ProcessConfig> processes)
    {
        Prepared.Enqueue([.. processes.Select(p => p.Name)]);
        return Task.CompletedTask;
    }
    public void Attach(ProcessConfig process, SafeFileHandle? stdoutPipe, SafeFileHandle? stderrPipe,
        IOutputTap? stdoutTap = null, IOutputTap? stderrTap = null, OutputCounters? counters = null) => Attached.Enqueue(process.Name);
    public void Clear(ProcessConfig process) => Cleared.Enqueue(process.Name);
    public void ReopenAll() { }
    public void Dispose() { }
}

internal sealed class CapturingLogger : ILogger
{
    private readonly List<(LogLevel Level, int EventId, string Text)> _entries = [];

    public IReadOnlyList<(LogLevel Level, int EventId, string Text)> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    /// <summary>Lines at Information or above: the activity log as an operator reads it.</summary>
    public List<string> Activity => [.. Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Text)];
    public List<string> All => [.. Entries.Select(e => e.Text)];
    public int Count { get { lock (_entries) return _entries.Count; } }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <summary>A line starting with this makes the logging call throw (after it is kept): a fault inside the loop.</summary>
    public volatile string? ThrowOn;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        var text = formatter(state, exception);
        lock (_entries) _entries.Add((logLevel, eventId.Id, text));
        if (ThrowOn is { } marker && text.StartsWith(marker, StringComparison.Ordinal))
            throw new InvalidOperationException($"test fault at \"{text}\"");
    }
}
