using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Events;
using Taskmaster.Logging;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Supervision.Eventing;
using Taskmaster.Supervision.Listeners;

namespace Taskmaster.Supervision;

/// <summary>
/// The supervision engine. One loop on one dedicated thread owns every process; everything else
/// (exit watcher, deadline timer, control calls) only posts messages to its channel. After each
/// message the loop fires the deadlines that are due, advances pending operations, and re-arms a
/// single one-shot timer for the earliest deadline left, or disarms it: with nothing due the loop
/// sleeps until the next message, it never polls.
/// </summary>
public sealed partial class Supervisor : ISupervisor, IProcessStdin, IAsyncDisposable, ISupervisionLoop
{
    private readonly SupervisorConfig _config;
    private readonly IExitWatcher _exitWatcher;
    private readonly IChildLogs _childLogs;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TransitionActions _actions;
    private readonly ISpawner _spawner;
    private readonly ProcessDirectory _directory = new();
    private readonly StateWatchers _watchers = new();
    private readonly EventBus _bus = new();
    private readonly ListenerPools _pools;
    private readonly OutputEvents _outputEvents;
    private readonly TickClock _ticks = new();
    private readonly DependencyGate _dependencies;
    private readonly ProbeScheduler _probes;
    private readonly Hooks.HookRunner _hooks;
    private readonly Schedules.ScheduleRunner _schedules;
    private readonly Triggers.MemoryWatch _memory;
    private readonly Triggers.FileWatch _files;
    private readonly NotifySockets _notify;
    private readonly List<PendingOperation> _operations = [];
    private readonly Channel<LoopMessage> _inbox =
        Channel.CreateUnbounded<LoopMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Thread _thread;
    private readonly TaskCompletionSource<int> _exitRequest = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private ITimer? _timer;
    private DateTimeOffset? _timerArmedFor;
    private bool _shuttingDown;
    private int _running;

    /// <summary>Creates the engine for <paramref name="config"/>; nothing runs before <see cref="Run"/>.</summary>
    /// <param name="baseEnvironment">The daemon's own environment, the first layer of every child's.</param>
    public Supervisor(
        SupervisorConfig config,
        ISpawner spawner,
        IProcessSignaller signaller,
        IExitWatcher exitWatcher,
        IChildLogs childLogs,
        TimeProvider time,
        ILogger logger,
        IReadOnlyDictionary<string, string> baseEnvironment)
    {
        _config = config;
        _exitWatcher = exitWatcher;
        _childLogs = childLogs;
        _time = time;
        _logger = logger;
        _spawner = spawner;
        _actions = new TransitionActions(this, spawner, signaller, exitWatcher, time,
            new ChildEnvironment(baseEnvironment, config.Daemon.Environment, ServerUrlOf(config)));
        _pools = new ListenerPools(_directory, _bus, logger, config.Daemon.Identifier,
            work => Post(new LoopMessage.Command("listener", work)));
        _outputEvents = new OutputEvents(_bus, _pools, time);
        // Whoever starts or stops wanting ticks (a pool, a client of the event stream), the loop follows.
        _bus.WantedChanged = () => Post(new LoopMessage.Command("ticks", () => _ticks.Follow(_bus.Wanted, _time.GetUtcNow())));
        foreach (var group in config.Groups) _directory.AddGroup(group);
        _dependencies = new DependencyGate(this);
        _notify = new NotifySockets(logger, (fullName, message) => Post(new LoopMessage.Command("notify", () =>
        {
            if (_directory.Find(fullName) is { } p) _probes!.Notified(p, message);
        })));
        _probes = new ProbeScheduler(this, time, spawner, signaller, c => _actions.BuildRequest(c),
            (what, work) => Post(new LoopMessage.Command(what, work)), p =>
            {
                _dependencies.Changed(p);
                StandingChanged(p);
            }, Unhealthy);
        _hooks = new Hooks.HookRunner(this, time, spawner, signaller, c => _actions.BuildRequest(c),
            (what, work) => Post(new LoopMessage.Command(what, work)));
        _schedules = new Schedules.ScheduleRunner(this, time, p => StartEach([p]), p => _ = RestartAsync([p.FullName], wait: false));
        _memory = new Triggers.MemoryWatch(this, time, p => _ = RestartAsync([p.FullName], wait: false));
        _files = new Triggers.FileWatch(this, time, (what, work) => Post(new LoopMessage.Command(what, work)), FileChanged);
        _thread = new Thread(LoopMain) { IsBackground = true, Name = "taskmaster-supervision" };
    }

    /// <summary>
    /// Completes with an exit code when a program's <c>exit_on</c> asks the daemon to end (its failure, or its exit);
    /// the host then shuts down (<see cref="ShutdownAsync"/>) and exits with that code. Never completes otherwise.
    /// </summary>
    public Task<int> ExitRequested => _exitRequest.Task;

    /// <summary>Times the deadline timer fired (for tests: proves the loop does not poll).</summary>
    internal int WakeUps { get; private set; }

    /// <summary>Times the deadline timer was armed for a new deadline.</summary>
    internal int TimerArmings { get; private set; }

    /// <summary>Starts the loop and the exit watcher, then autostarts programs in ascending priority.</summary>
    public void Run()
    {
        if (Interlocked.Exchange(ref _running, 1) != 0) throw new InvalidOperationException("already running");
        _timer = _time.CreateTimer(static s => ((Supervisor)s!).Post(LoopMessage.Wake.Instance), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _thread.Start();
        _exitWatcher.Start(exit => Post(new LoopMessage.ChildExited(exit)));
        Post(new LoopMessage.Command("autostart", () =>
        {
            AnnounceStartup();
            Autostart();
        }));
    }

    /// <summary>
    /// supervisord's start: each group is added in priority order with a PROCESS_GROUP_ADDED (a pool hears its own
    /// and those added after it; listeners, priority -1, normally come first), then SUPERVISOR_STATE_CHANGE_RUNNING.
    /// </summary>
    private void AnnounceStartup()
    {
        var pools = new List<string>();
        foreach (var group in _config.Groups)
        {
            if (group.Processes is [{ IsListener: true }, ..])
            {
                pools.Add(group.Name);
                _pools.Refresh(pools);
            }
            PublishGroupEvent(EventType.ProcessGroupAdded, group.Name);
        }
        if (_bus.Wants(EventType.SupervisorStateChangeRunning))
            _bus.Publish(new SupervisorEvent(EventType.SupervisorStateChangeRunning, "", null, null, _time.GetUtcNow()));
    }

    private void PublishGroupEvent(EventType type, string group)
    {
        if (_bus.Wants(type)) _bus.Publish(new SupervisorEvent(type, $"groupname:{group}\n", null, group, _time.GetUtcNow()));
    }

    /// <summary>A child's <c>SUPERVISOR_SERVER_URL</c> unless its <c>serverurl</c> says otherwise, as supervisord
    /// chooses it: the unix socket, else the TCP port (an empty host is localhost).</summary>
    private static string? ServerUrlOf(SupervisorConfig config) =>
        config.UnixHttpServer is { } unix ? "unix://" + unix.File
        : config.InetHttpServer is { } inet ? $"http://{(inet.Host.Length == 0 ? "localhost" : inet.Host)}:{inet.Port}"
        : null;

    // ---- ISupervisor: each call is a command message; the loop completes the reply. ----

    public Task<IReadOnlyList<ProcessSnapshot>> GetProcessesAsync(CancellationToken ct = default) =>
        Ask<IReadOnlyList<ProcessSnapshot>>("status", reply =>
            reply.TrySetResult([.. _directory.All.Select(p => p.Snapshot(_time))]), ct);

    public Task<IReadOnlyList<OperationResult>> StartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default) =>
        Ask<IReadOnlyList<OperationResult>>("start", reply => BeginStart(names, wait, reply), ct);

    public Task<IReadOnlyList<OperationResult>> StopAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default) =>
        Ask<IReadOnlyList<OperationResult>>("stop", reply => BeginStop(names, wait, reply), ct);

    /// <summary>supervisorctl's restart: stop (waiting), then start the same names.</summary>
    public async Task<IReadOnlyList<OperationResult>> RestartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default)
    {
        await StopAsync(names, wait: true, ct).ConfigureAwait(false);
        return await StartAsync(names, wait, ct).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<OperationResult>> SignalAsync(IReadOnlyList<string> names, int signal, CancellationToken ct = default) =>
        Ask<IReadOnlyList<OperationResult>>("signal", reply => reply.TrySetResult(SendSignal(names, signal)), ct);

    public async Task<IReadOnlyList<OperationResult>> ClearLogsAsync(IReadOnlyList<string> names, CancellationToken ct = default)
    {
        // Which files a name means is the loop's to say; truncating and deleting them is file work that must never
        // hold the loop (it answers requests and reaps children).
        var targets = await Ask<List<(string Name, ProcessConfig? Config)>>("clear", reply => reply.TrySetResult(
            [.. _directory.Resolve(names, _ => true).Select(r => (r.Name, r.Process?.Config))]), ct).ConfigureAwait(false);
        return await Task.Run(() => ClearLogs(targets), ct).ConfigureAwait(false);
    }

    public Task ShutdownAsync(CancellationToken ct = default) =>
        Ask<IReadOnlyList<OperationResult>>("shutdown", BeginShutdown, ct);

    public Task<StdinWriteResult> WriteStdinAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default) =>
        Ask<StdinWriteResult>("stdin", reply => reply.TrySetResult(WriteStdin(name, data.Span)), ct);

    public IAsyncEnumerable<ProcessChange> WatchAsync(CancellationToken ct = default) => _watchers.Subscribe(ct);


    public IAsyncEnumerable<SupervisorEvent> WatchEventsAsync(EventType types, CancellationToken ct = default) =>
        _bus.Subscribe(types, ct);

    public Task SendRemoteCommEventAsync(string type, string data, CancellationToken ct = default) =>
        Ask<bool>("remote-comm", reply =>
        {
            if (_bus.Wants(EventType.RemoteCommunication))
                _bus.Publish(new SupervisorEvent(EventType.RemoteCommunication, $"type:{type}\n{data}", null, null, _time.GetUtcNow()));
            reply.TrySetResult(true);
        }, ct);

    /// <summary>Stops the loop (without stopping children: call <see cref="ShutdownAsync"/> first).</summary>
    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        if (_thread.IsAlive) await Task.Run(_thread.Join).ConfigureAwait(false);
        _timer?.Dispose();
        _notify.Dispose();
        foreach (var op in _operations) op.Abandon();
        _operations.Clear();
        AbandonQueuedApplies();
        _watchers.CompleteAll();
        _bus.CompleteAll();
    }

    // ---- Test hooks ----

    /// <summary>Completes once every message posted before this call has been fully handled.</summary>
    internal Task WhenIdleAsync() => Ask<bool>("idle", reply => reply.TrySetResult(true), default);

    /// <summary>Feeds one raw event to one process, as the loop would, and returns the cell used.</summary>
    internal Task<Transition> InjectAsync(string fullName, ProcessEvent e) =>
        Ask<Transition>("inject", reply =>
        {
            var p = _directory.All.First(x => x.FullName == fullName);
            reply.TrySetResult(Dispatch(p, e));
        }, default);

    internal Task<int> RetriesAsync(string fullName) =>
        Ask<int>("retries", reply => reply.TrySetResult(_directory.All.First(x => x.FullName == fullName).Retries), default);

    // ---- What the loop offers its actions and operations (loop thread) ----

    ProcessDirectory ISupervisionLoop.Directory => _directory;
    bool ISupervisionLoop.ShuttingDown => _shuttingDown;
    IChildLogs ISupervisionLoop.ChildLogs => _childLogs;
    ILogger ISupervisionLoop.Logger => _logger;
    Transition ISupervisionLoop.Dispatch(ManagedProcess p, ProcessEvent e) => Dispatch(p, e);

    string? ISupervisionLoop.NotifySocketFor(ProcessConfig c) => _notify.PathFor(c.FullName, c.User);

    void ISupervisionLoop.ChildSpawned(ManagedProcess p)
    {
        _probes.Spawned(p);
        _memory.Spawned(p);
    }

    void ISupervisionLoop.StandingChanged(ManagedProcess p) => StandingChanged(p);

    private void StandingChanged(ManagedProcess p)
    {
        if (_watchers.Any && p.Health is { } health)
            _watchers.Publish(new ProcessHealthChange(p.Name, p.Group, p.State, p.Pid, _time.GetUtcNow(), health));
    }

    void ISupervisionLoop.RunHook(ManagedProcess p, Hooks.HookKind kind) => _hooks.Run(p, kind);

    /// <summary>A watched file or the executable changed (debounced): the configured signal, or a restart.</summary>
    private void FileChanged(ManagedProcess p, int? signal, string what)
    {
        Triggers.TriggerLog.Changed(_logger, p.Name, what, signal is { } s ? $"sending {Signals.Name(s)}" : "restarting it");
        if (signal is { } sig) Dispatch(p, new ProcessEvent(ProcessEventKind.Signal, Signal: sig));
        else _ = RestartAsync([p.FullName], wait: false);
    }

    /// <summary>A liveness check failed failure_threshold times in a row: its failure action, once.</summary>
    private void Unhealthy(ManagedProcess p, ProbeRun run, string why)
    {
        var action = p.Config.LivenessFailureAction;
        HealthLog.Unhealthy(_logger, p.Name, run.Failures, why, action switch
        {
            ProbeFailureAction.Restart => "restarting it",
            ProbeFailureAction.Stop => "stopping it",
            _ => "taskmasterd exits with code 1",
        });
        switch (action)
        {
            case ProbeFailureAction.Restart:
                // Posted, not awaited: the restart's stop and start are loop messages of their own.
                _ = RestartAsync([p.FullName], wait: false);
                break;
            case ProbeFailureAction.Stop:
                _ = StopAsync([p.FullName], wait: false);
                break;
            default:
                if (!_shuttingDown) _exitRequest.TrySetResult(1);
                break;
        }
    }

    bool ISupervisionLoop.EndsDaemon(ManagedProcess p, bool fatal)
    {
        if (_shuttingDown || _exitRequest.Task.IsCompleted) return false; // the daemon is ending already
        if (DaemonExit.CodeFor(p, fatal) is not { } code) return false;
        DaemonExitLog.Ending(_logger, p.Name, fatal ? "FATAL" : "EXITED", p.Config.ExitOn.ToString().ToLowerInvariant(), code);
        _exitRequest.TrySetResult(code);
        return true;
    }
    void ISupervisionLoop.StartInOrder(IReadOnlyList<ManagedProcess> ordered) => StartEach(ordered);
    PendingOperation ISupervisionLoop.BeginReapingStop(IReadOnlyList<ManagedProcess> processes) => CreateReapingStop(processes);

    (IOutputTap? Stdout, IOutputTap? Stderr) ISupervisionLoop.OutputTaps(ManagedProcess p, int pid) =>
        _outputEvents.TapsFor(p, pid, (process, child, stderr, data) =>
            Post(new LoopMessage.Command("output", () => _outputEvents.OnOutput(process, child, stderr, data))));

    void ISupervisionLoop.GroupsChanged(IReadOnlyList<string> added, IReadOnlyList<string> removed)
    {
        foreach (var group in removed) PublishGroupEvent(EventType.ProcessGroupRemoved, group);
        _pools.Refresh(_directory.ActiveGroups().Select(g => g.Name));
        foreach (var group in added) PublishGroupEvent(EventType.ProcessGroupAdded, group);
    }

    // ---- The loop ----

    private void Post(LoopMessage message) => _inbox.Writer.TryWrite(message);

    private Task<T> Ask<T>(string what, Action<TaskCompletionSource<T>> work, CancellationToken ct)
    {
        // Continuations must not run on the loop thread: a caller awaiting us would then block the loop.
        var reply = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = new LoopMessage.Command(what, () =>
        {
            try
            {
                work(reply);
            }
            catch (Exception e)
            {
                reply.TrySetException(e);
                throw;
            }
        });
        if (!_inbox.Writer.TryWrite(message)) reply.TrySetException(new ObjectDisposedException(nameof(Supervisor)));
        return ct.CanBeCanceled ? reply.Task.WaitAsync(ct) : reply.Task;
    }

    private void LoopMain()
    {
        var reader = _inbox.Reader;
        while (true)
        {
            LoopMessage? message;
            while (!reader.TryRead(out message))
            {
                // This thread exists only to run the loop, so blocking it while idle is the point.
                if (!reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult()) return;
            }

            try
            {
                Handle(message);
                Settle();
            }
            catch (Exception e)
            {
                SupervisorLog.LoopError(_logger, e, message.ToString());
            }
        }
    }

    private void Handle(LoopMessage message)
    {
        switch (message)
        {
            case LoopMessage.ChildExited { Exit: var exit }:
                if (_actions.ByPid.TryGetValue(exit.Pid, out var p))
                    Dispatch(p, new ProcessEvent(ProcessEventKind.Exited, exit.Status));
                else if (_probes.ExecExited(exit.Pid, exit.Status) || _hooks.Exited(exit.Pid, exit.Status))
                    break;
                else if (_actions.ByGroup.TryGetValue(exit.ProcessGroup, out var waiting))
                    Dispatch(waiting, ProcessEventKind.GroupCheck); // an adopted member of a lingering group
                else
                    SupervisorLog.UnknownPidReaped(_logger, exit.Pid, exit.Status.ToString());
                break;
            case LoopMessage.Wake:
                WakeUps++;
                _timerArmedFor = null; // a timer may fire a hair early: always re-arm after a wake-up
                break;
            case LoopMessage.Command command:
                command.Work();
                break;
        }
    }

    /// <summary>Fires due deadlines and advances operations until nothing moves, then re-arms the timer.</summary>
    private void Settle()
    {
        bool moved;
        do
        {
            _schedules.Follow(_directory); // one int comparison unless the directory changed
            _memory.Follow(_directory);
            _files.Follow(_directory);
            moved = FireDueDeadlines();
            for (var i = _operations.Count - 1; i >= 0; i--)
            {
                if (!_operations[i].TryAdvance()) continue;
                _operations.RemoveAt(i);
                moved = true;
            }
            moved |= BeginQueuedApply();
            moved |= _dependencies.Settle();
        } while (moved);
        _pools.Dispatch();
        ArmTimer();
    }

    private bool FireDueDeadlines()
    {
        var now = _time.GetUtcNow();
        var fired = false;
        while (_directory.Deadlines.Peek() is { } front && front.At <= now)
        {
            // Clearing the deadline re-queues the process with whatever deadline it has left.
            var p = front.Process;
            var due = p.NextDeadline!.Value;
            ClearDeadline(p, due.Kind);
            if (due.Kind == ProcessEventKind.ProbeDue) _probes.Due(p);
            else if (due.Kind == ProcessEventKind.HookTimeout) _hooks.TimedOut(p);
            else if (due.Kind == ProcessEventKind.ScheduleDue) _schedules.Due(p);
            else if (due.Kind == ProcessEventKind.WatchDue) _files.Due(p);
            else Dispatch(p, due.Kind);
            fired = true;
        }
        if (_memory.Next is { } sweep && sweep <= now)
        {
            _memory.Sweep();
            fired = true;
        }
        if (_ticks.Next is { } tick && tick <= now)
        {
            _ticks.Fire(now, (type, when) =>
            {
                if (_bus.Wants(type)) _bus.Publish(new SupervisorEvent(type, $"when:{when}", null, null, now));
            });
            fired = true;
        }
        return fired;
    }

    private static void ClearDeadline(ManagedProcess p, ProcessEventKind e)
    {
        switch (e)
        {
            case ProcessEventKind.StartSecsElapsed or ProcessEventKind.NotReadyInTime: p.StartDeadline = null; break;
            case ProcessEventKind.ProbeDue: p.ProbeAt = null; break;
            case ProcessEventKind.StopTimeout: p.StopDeadline = null; break;
            case ProcessEventKind.RetryDue: p.RetryAt = null; break;
            case ProcessEventKind.GroupCheck: p.GroupCheckAt = null; break;
            case ProcessEventKind.HookTimeout: p.HookAt = null; break;
            case ProcessEventKind.ScheduleDue: p.ScheduleAt = null; break;
            case ProcessEventKind.WatchDue: p.WatchAt = null; break;
        }
    }

    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromDays(40);

    private void ArmTimer()
    {
        var earliest = _directory.Deadlines.Peek()?.At;
        if (_ticks.Next is { } tick && (earliest is null || tick < earliest)) earliest = tick;
        if (_memory.Next is { } sweep && (earliest is null || sweep < earliest)) earliest = sweep;

        if (earliest == _timerArmedFor) return;
        _timerArmedFor = earliest;
        if (earliest is not { } at)
        {
            _timer!.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            return;
        }
        var delay = at - _time.GetUtcNow();
        // A timer takes at most ~49 days; a deadline beyond (a yearly cron) wakes the loop once then, which re-arms.
        if (delay > MaxTimerDelay) delay = MaxTimerDelay;
        _timer!.Change(delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        TimerArmings++;
    }

    /// <summary>Runs one event through the transition table, then any follow-up event its action returns.</summary>
    private Transition Dispatch(ManagedProcess p, ProcessEvent e)
    {
        AssertOnLoop();
        // Every start, whoever asks (autostart, start, a reload, an autorestart, a paced respawn), waits for depends_on.
        if (StartsAnew(p, e.Kind) && _dependencies.Holds(p)) return Transition.Ignore;
        var transition = TransitionTable.Lookup(p.State, e.Kind);
        if (transition.Kind != TransitionKind.Move) return transition;
        ChangeState(p, transition.Next, e);
        if (_actions.Run(transition.Action, p, e) is { } followUp) Dispatch(p, followUp);
        return transition;
    }

    /// <summary>The event begins a new run of a process that has no child (not a BACKOFF retry of a start in progress).</summary>
    private static bool StartsAnew(ManagedProcess p, ProcessEventKind kind) => kind switch
    {
        ProcessEventKind.Start => p.State is ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal,
        ProcessEventKind.RetryDue => p.State == ProcessState.Exited,
        _ => false,
    };

    private void ChangeState(ManagedProcess p, ProcessState next, ProcessEvent cause)
    {
        AssertOnLoop();
        var from = p.State;
        if (from == next) return;
        p.State = next;
        p.Counters.Entered(next);
        if (_logger.IsEnabled(LogLevel.Debug))
            SupervisorLog.StateChanged(_logger, p.Name, from.ToString().ToUpperInvariant(), next.ToString().ToUpperInvariant());
        if (_watchers.Any) _watchers.Publish(new ProcessStateChange(p.Name, p.Group, from, next, p.Pid, _time.GetUtcNow(), p.Health));
        if (_bus.Wants(StateEvents.TypeOf(next))) _bus.Publish(StateEvents.For(p, from, next, cause, _time.GetUtcNow()));
        if (p.Config.IsListener) _pools.OnStateChanged(p, next);
        // Nothing waits for a pre-start hook once the start is over (stopped, shut down).
        if (from == ProcessState.Starting && next != ProcessState.Running && p.Hook is not null) _hooks.CancelPreStart(p);
        if (next == ProcessState.Running) _probes.EnteredRunning(p);
        else if (next != ProcessState.Starting) _probes.Ended(p);
        _dependencies.Changed(p);
    }

    /// <summary>Process state belongs to the loop thread alone: that is why it needs no lock.</summary>
    [Conditional("DEBUG")]
    private void AssertOnLoop() =>
        Debug.Assert(Environment.CurrentManagedThreadId == _thread.ManagedThreadId,
            "process state changed off the supervision loop thread");

    // ---- Commands (loop thread) ----

    private void Autostart() =>
        StartEach(_directory.InStartOrder(_directory.All.Where(p =>
            (p.Config.Autostart || p.Config.DependentStartup) && p.State == ProcessState.Stopped)).ToList());

    /// <summary>Dispatches Start to each of <paramref name="ordered"/>, as <see cref="StartEach(IReadOnlyList{ManagedProcess}, Action{ManagedProcess})"/>.</summary>
    private void StartEach(IReadOnlyList<ManagedProcess> ordered) => StartEach(ordered, p => Dispatch(p, ProcessEventKind.Start));

    /// <summary>
    /// Hands each of <paramref name="ordered"/> to <paramref name="start"/> in turn, which dispatches Start to it unless
    /// the daemon is shutting down. Their log files are made ahead on another thread, and each child that Start is
    /// going to spawn (as the table says: <see cref="TransitionActions.WouldSpawn"/>) is already being spawned while the
    /// loop records the one before it (<see cref="TransitionActions.SpawnAhead"/>): starting 1000 programs, the loop
    /// and the spawner thread work side by side instead of taking turns.
    /// </summary>
    private void StartEach(IReadOnlyList<ManagedProcess> ordered, Action<ManagedProcess> start)
    {
        _ = _childLogs.Prepare(ordered.Select(p => p.Config));
        var batch = new HashSet<ManagedProcess>(ordered, ReferenceEqualityComparer.Instance);
        try
        {
            if (ordered.Count > 0) SpawnAhead(ordered[0]);
            for (var i = 0; i < ordered.Count; i++)
            {
                if (i + 1 < ordered.Count) SpawnAhead(ordered[i + 1]);
                if (_shuttingDown) continue;
                _dependencies.PullIn(ordered[i], batch);
                start(ordered[i]);
            }
        }
        finally
        {
            _actions.AbandonSpawnsAhead();
        }
    }

    // A start that its dependencies are going to hold spawns nothing: nothing to begin ahead.
    private void SpawnAhead(ManagedProcess p)
    {
        if (!_dependencies.WouldHold(p)) _actions.SpawnAhead(p, ProcessEventKind.Start);
    }

    private static bool IsRunningState(ProcessState s) =>
        s is ProcessState.Running or ProcessState.Starting or ProcessState.Backoff;

    private void BeginStart(IReadOnlyList<string> names, bool wait, TaskCompletionSource<IReadOnlyList<OperationResult>> reply)
    {
        var targets = _directory.Resolve(names, p => !IsRunningState(p.State));
        var results = new List<OperationResult?>();
        var waiting = new List<(int, ManagedProcess)>();
        foreach (var (name, _) in targets.Where(t => t.Process is null))
            results.Add(OperationResult.NoSuchName(name));

        // Spawned in ascending priority; one priority does not wait for the previous (as supervisord).
        var starting = _directory.InStartOrder(targets.Where(t => t.Process is not null).Select(t => t.Process!)).ToList();
        if (_shuttingDown)
            results.AddRange(starting.Select(p => new OperationResult(p.FullName, ErrorCode.ShutdownState)));
        else
            StartEach(starting, p =>
            {
                if (CommandCheck(p) is { } unrunnable)
                {
                    results.Add(unrunnable);
                    return;
                }
                var t = Dispatch(p, ProcessEventKind.Start);
                if (t.Kind == TransitionKind.Reject)
                {
                    results.Add(new OperationResult(p.FullName, t.Error,
                        t.Error == ErrorCode.Failed ? $"{p.FullName} is in an unknown process state" : null));
                    return;
                }
                var outcome = StartOperation.Outcome(p);
                if (!wait && (outcome is null || !p.LastSpawnFailed && p.DependencyFailure is null)) outcome = new OperationResult(p.FullName);
                if (outcome is null) waiting.Add((results.Count, p));
                results.Add(outcome);
            });

        var op = new StartOperation(reply, results, waiting);
        if (!op.TryAdvance()) _operations.Add(op);
    }

    /// <summary>
    /// A command that cannot be found or executed, answered before anything is spawned, as supervisord's startProcess
    /// answers it (NO_FILE, NOT_EXECUTABLE; before it looks at the state): the process keeps its state. Autostart and
    /// automatic restarts spawn and go through BACKOFF to FATAL instead, as there.
    /// </summary>
    private OperationResult? CommandCheck(ManagedProcess p) =>
        _spawner.CommandFault(_actions.BuildRequest(p.Config), out var missing) is { } why
            ? new OperationResult(p.FullName, missing ? ErrorCode.NoFile : ErrorCode.NotExecutable, why)
            : null;

    private void BeginStop(IReadOnlyList<string> names, bool wait, TaskCompletionSource<IReadOnlyList<OperationResult>> reply)
    {
        // A stop also cancels a paced respawn that an EXITED process waits for (its answer stays "not running"), and
        // a start held for dependencies: that one was on its way, so the stop did something and says "stopped".
        var cancelled = new HashSet<ManagedProcess>();
        foreach (var (_, p) in _directory.Resolve(names, p => p.State == ProcessState.Exited || p.AwaitingDependencies))
        {
            if (p is null) continue;
            p.RetryAt = null;
            if (p.AwaitingDependencies) cancelled.Add(p);
            _dependencies.Cancel(p);
            _dependencies.Changed(p); // a dependent waiting for its completion may judge it settled now
        }
        var targets = _directory.Resolve(names, p => IsRunningState(p.State));
        var answered = targets.Where(t => t.Process is { } p && cancelled.Contains(p)).Select(t => new OperationResult(t.Name)).ToList();
        targets.RemoveAll(t => t.Process is { } p && cancelled.Contains(p));
        StartStopOperation(targets, wait ? StopOperation.Until.Stopped : StopOperation.Until.Signalled, reply, answered);
    }

    private void BeginShutdown(TaskCompletionSource<IReadOnlyList<OperationResult>> reply)
    {
        if (!_shuttingDown && _bus.Wants(EventType.SupervisorStateChangeStopping))
            _bus.Publish(new SupervisorEvent(EventType.SupervisorStateChangeStopping, "", null, null, _time.GetUtcNow()));
        _shuttingDown = true;
        _dependencies.CancelAll();
        foreach (var p in _directory.All.Where(p => p.State == ProcessState.Exited))
            p.RetryAt = null; // no paced respawn while everything stops
        var targets = _directory.All
            .Where(p => p.HasChild || p.State == ProcessState.Backoff || p.Hook is not null)
            .Select(p => (p.FullName, (ManagedProcess?)p)).ToList();
        StartStopOperation(targets, StopOperation.Until.Reaped, reply);
    }

    private void StartStopOperation(List<(string Name, ManagedProcess? Process)> targets, StopOperation.Until until,
        TaskCompletionSource<IReadOnlyList<OperationResult>> reply, IEnumerable<OperationResult>? answered = null)
    {
        var results = new List<OperationResult?>(answered ?? []);
        foreach (var (name, _) in targets.Where(t => t.Process is null))
            results.Add(OperationResult.NoSuchName(name));

        var batches = StopBatches(targets.Where(t => t.Process is not null).Select(t => t.Process!), results);
        var op = new StopOperation(this, reply, results, batches, until);
        if (!op.TryAdvance()) _operations.Add(op);
    }

    /// <summary>A stop in reverse priority batches that someone else drives (a reload); it completes once every
    /// child is reaped. Not registered: the caller advances it.</summary>
    private StopOperation CreateReapingStop(IReadOnlyList<ManagedProcess> processes)
    {
        var results = new List<OperationResult?>();
        var batches = StopBatches(processes, results);
        var ignored = new TaskCompletionSource<IReadOnlyList<OperationResult>>(TaskCreationOptions.RunContinuationsAsynchronously);
        return new StopOperation(this, ignored, results, batches, StopOperation.Until.Reaped);
    }

    /// <summary>Batches of equal priority, highest priority first; inside a batch, start order. Each process gets
    /// a result slot appended to <paramref name="results"/>.</summary>
    private Queue<List<(int, ManagedProcess)>> StopBatches(IEnumerable<ManagedProcess> processes, List<OperationResult?> results)
    {
        // Dependents before their dependencies, then descending priority: each batch waits for the one before it.
        var ordered = _directory.InStartOrder(processes).ToList();
        var rank = _dependencies.Graph.StopRanks(ordered);
        var batches = new Queue<List<(int, ManagedProcess)>>();
        foreach (var batch in ordered.GroupBy(p => (Rank: rank(p), p.Config.Priority))
            .OrderBy(b => b.Key.Rank).ThenByDescending(b => b.Key.Priority))
        {
            var entries = new List<(int, ManagedProcess)>();
            foreach (var p in batch)
            {
                entries.Add((results.Count, p));
                results.Add(null);
            }
            batches.Enqueue(entries);
        }
        return batches;
    }

    private List<OperationResult> SendSignal(IReadOnlyList<string> names, int signal)
    {
        var targets = _directory.Resolve(names, p => p.State is ProcessState.Running or ProcessState.Starting or ProcessState.Stopping);
        if (signal is < 0 or > Signals.Max)
            return [.. targets.Select(t => new OperationResult(t.Name, ErrorCode.BadSignal, signal.ToString()))];

        var results = new List<OperationResult>();
        foreach (var (name, p) in targets)
        {
            if (p is null)
            {
                results.Add(OperationResult.NoSuchName(name));
                continue;
            }
            var t = Dispatch(p, new ProcessEvent(ProcessEventKind.Signal, Signal: signal));
            results.Add(t.Kind == TransitionKind.Reject ? new OperationResult(name, t.Error)
                : p.State == ProcessState.Unknown ? new OperationResult(name, ErrorCode.Failed, $"could not signal {p.Name}")
                : new OperationResult(name));
        }
        return results;
    }

    /// <summary>supervisord's sendProcessStdin: only to a child that is not being stopped; a closed pipe is
    /// reported (and our end released at once), a full one too: the loop never waits for a child to read.</summary>
    private StdinWriteResult WriteStdin(string name, ReadOnlySpan<byte> data)
    {
        if (_directory.Find(name) is not { } p) return new StdinWriteResult(name, StdinWriteStatus.BadName);
        if (p.Pid is null || p.State is ProcessState.Stopping) return new StdinWriteResult(p.FullName, StdinWriteStatus.NotRunning);
        if (p.Stdin is not { } pipe) return new StdinWriteResult(p.FullName, StdinWriteStatus.Closed);
        var (written, errno) = Descriptors.WriteAll(pipe, data);
        switch (errno)
        {
            case 0:
                return new StdinWriteResult(p.FullName, StdinWriteStatus.Written, written);
            case Errno.EAGAIN:
                return new StdinWriteResult(p.FullName, StdinWriteStatus.Full, written);
            default:
                // EPIPE, or anything else that makes the pipe unusable: it stays unusable, so let it go now.
                SupervisorLog.StdinClosed(_logger, p.Name, errno);
                pipe.Dispose();
                p.Stdin = null;
                return new StdinWriteResult(p.FullName, StdinWriteStatus.Closed, written);
        }
    }

    private IReadOnlyList<OperationResult> ClearLogs(List<(string Name, ProcessConfig? Config)> targets)
    {
        var results = new List<OperationResult>();
        foreach (var (name, config) in targets)
        {
            if (config is null)
            {
                results.Add(OperationResult.NoSuchName(name));
                continue;
            }
            try
            {
                _childLogs.Clear(config);
                results.Add(new OperationResult(name));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                results.Add(new OperationResult(name, ErrorCode.Failed, e.Message));
            }
        }
        return results;
    }
}
