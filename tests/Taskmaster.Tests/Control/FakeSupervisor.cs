using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Taskmaster.Events;
using Taskmaster.Names;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Control;

/// <summary>
/// A scripted engine for control-plane tests: a fixed set of processes whose answers cover every result the
/// commands must render (started, already started, spawn error, not running, no such process, no such group).
/// </summary>
internal sealed class FakeSupervisor : ISupervisor, IConfigurationControl
{
    private readonly Lock _lock = new();
    private readonly List<ProcessSnapshot> _processes = [];
    private readonly Channel<ProcessChange> _changes = Channel.CreateUnbounded<ProcessChange>();

    public List<string> Calls { get; } = [];
    public bool ShutdownCalled { get; private set; }
    public RereadResult Reread { get; set; } = new(new ConfigChanges(["newprog"], ["web"], ["oldprog"]), []);

    public FakeSupervisor(string logDir)
    {
        var now = DateTimeOffset.UtcNow;
        ProcessSnapshot P(string name, string group, ProcessState state, int? pid, string description, bool withLogs = false) => new(
            name, group, state, pid, now.AddMinutes(-1), null, null, false, null, description,
            withLogs ? Path.Combine(logDir, $"{name}.out.log") : null,
            withLogs ? Path.Combine(logDir, $"{name}.err.log") : null);
        _processes.Add(P("web", "web", ProcessState.Running, 1234, "pid 1234, uptime 0:01:02", withLogs: true));
        _processes.Add(P("worker_00", "worker", ProcessState.Running, 2000, "pid 2000, uptime 0:00:10"));
        _processes.Add(P("worker_01", "worker", ProcessState.Running, 2001, "pid 2001, uptime 0:00:10"));
        _processes.Add(P("idle", "idle", ProcessState.Stopped, null, "Not started"));
        _processes.Add(P("broken", "broken", ProcessState.Fatal, null, "Exited too quickly (process log may have details)"));
        _processes.Add(P("quiet", "quiet", ProcessState.Running, 3000, "pid 3000, uptime 0:00:01", withLogs: true));
        File.WriteAllText(Path.Combine(logDir, "web.out.log"), "hello from web\nsecond line\n");
        File.WriteAllText(Path.Combine(logDir, "web.err.log"), "oops on stderr\n");
    }

    public void Publish(ProcessChange change) => _changes.Writer.TryWrite(change);

    public Task<IReadOnlyList<ProcessSnapshot>> GetProcessesAsync(CancellationToken ct = default)
    {
        lock (_lock) return Task.FromResult<IReadOnlyList<ProcessSnapshot>>(_processes.ToList());
    }

    private IReadOnlyList<OperationResult> ForEach(IReadOnlyList<string> names, string verb, Func<ProcessSnapshot, OperationResult> act)
    {
        lock (_lock)
        {
            Calls.Add($"{verb} {string.Join(',', names)}");
            var results = new List<OperationResult>();
            foreach (var name in names)
            {
                var spec = Namespec.Parse(name);
                var matched = _processes.Where(p => spec.Selects(p.Group, p.Name)).ToList();
                if (matched.Count == 0) results.Add(OperationResult.NoSuchName(name));
                results.AddRange(matched.Select(act));
            }
            return results;
        }
    }

    public Task<IReadOnlyList<OperationResult>> StartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default) =>
        Task.FromResult(ForEach(names, "start", p => p.Name switch
        {
            "broken" => new OperationResult(p.FullName, ErrorCode.SpawnError, "spawn error"),
            _ when p.State == ProcessState.Running => new OperationResult(p.FullName, ErrorCode.AlreadyStarted),
            _ => new OperationResult(p.FullName),
        }));

    public Task<IReadOnlyList<OperationResult>> StopAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default) =>
        Task.FromResult(ForEach(names, "stop", p => p.State == ProcessState.Running
            ? new OperationResult(p.FullName)
            : new OperationResult(p.FullName, ErrorCode.NotRunning)));

    public Task<IReadOnlyList<OperationResult>> RestartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default) =>
        Task.FromResult(ForEach(names, "restart", p => new OperationResult(p.FullName)));

    public Task<IReadOnlyList<OperationResult>> SignalAsync(IReadOnlyList<string> names, int signal, CancellationToken ct = default) =>
        Task.FromResult(ForEach(names, $"signal{signal}", p => p.State == ProcessState.Running
            ? new OperationResult(p.FullName)
            : new OperationResult(p.FullName, ErrorCode.NotRunning)));

    public Task<IReadOnlyList<OperationResult>> ClearLogsAsync(IReadOnlyList<string> names, CancellationToken ct = default) =>
        Task.FromResult(ForEach(names, "clear", p => new OperationResult(p.FullName)));

    public Task ShutdownAsync(CancellationToken ct = default)
    {
        ShutdownCalled = true;
        return Task.CompletedTask;
    }

    /// <summary>Events a test hands to <see cref="WatchEventsAsync"/> readers.</summary>
    public Channel<SupervisorEvent> Events { get; } = Channel.CreateUnbounded<SupervisorEvent>();

    public async IAsyncEnumerable<SupervisorEvent> WatchEventsAsync(EventType types, [EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await Events.Reader.WaitToReadAsync(ct))
            while (Events.Reader.TryRead(out var e))
                if ((e.Type & types) != 0) yield return e;
    }

    public List<(string Type, string Data)> RemoteEvents { get; } = [];

    public Task SendRemoteCommEventAsync(string type, string data, CancellationToken ct = default)
    {
        RemoteEvents.Add((type, data));
        return Task.CompletedTask;
    }

    public async IAsyncEnumerable<ProcessChange> WatchAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        while (await _changes.Reader.WaitToReadAsync(ct))
            while (_changes.Reader.TryRead(out var change))
                yield return change;
    }

    public Task<RereadResult> RereadAsync(CancellationToken ct = default) => Task.FromResult(Reread);

    public Task<IReadOnlyList<GroupUpdateResult>> UpdateAsync(IReadOnlyList<string> groups, CancellationToken ct = default)
    {
        if (Reread.Changes is null)
            return Task.FromResult<IReadOnlyList<GroupUpdateResult>>([new GroupUpdateResult("", GroupChange.Updated, ErrorCode.CantReread, string.Join("\n", Reread.Errors))]);
        IReadOnlyList<GroupUpdateResult> all =
        [
            new("oldprog", GroupChange.Stopped), new("oldprog", GroupChange.Removed),
            new("web", GroupChange.Stopped), new("web", GroupChange.Updated),
            new("newprog", GroupChange.Added),
        ];
        var bad = groups.Where(g => g is not ("oldprog" or "web" or "newprog")).Select(g => new GroupUpdateResult(g, GroupChange.Updated, ErrorCode.BadName));
        return Task.FromResult<IReadOnlyList<GroupUpdateResult>>(
            groups.Count == 0 ? all : [.. bad, .. all.Where(r => groups.Contains(r.Group))]);
    }

    public Task<GroupUpdateResult> AddGroupAsync(string group, CancellationToken ct = default) => Task.FromResult(group switch
    {
        "newprog" => new GroupUpdateResult(group, GroupChange.Added),
        "web" => new GroupUpdateResult(group, GroupChange.Added, ErrorCode.AlreadyAdded),
        _ => new GroupUpdateResult(group, GroupChange.Added, ErrorCode.BadName),
    });

    public Task<GroupUpdateResult> RemoveGroupAsync(string group, CancellationToken ct = default) => Task.FromResult(group switch
    {
        "idle" => new GroupUpdateResult(group, GroupChange.Removed),
        "web" => new GroupUpdateResult(group, GroupChange.Removed, ErrorCode.StillRunning),
        _ => new GroupUpdateResult(group, GroupChange.Removed, ErrorCode.BadName),
    });

    public Task ReloadAsync(CancellationToken ct = default)
    {
        lock (_lock) Calls.Add("reload");
        return Task.CompletedTask;
    }
}
