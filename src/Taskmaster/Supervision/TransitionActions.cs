using Taskmaster.Config;
using Taskmaster.Logging;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Supervision.Eventing;
using Taskmaster.Supervision.Hooks;

namespace Taskmaster.Supervision;

/// <summary>
/// The side effects named in <see cref="TransitionTable"/>, one small method each. They run on the
/// supervision loop after the state has changed; one may return a follow-up event (a spawn's outcome,
/// a give-up, an autorestart, a released group) that the loop feeds straight back through the table.
/// </summary>
/// <remarks>
/// Process groups: a child's exit is not the end of what it started. When the leader of a group is reaped and
/// processes are left in the group (a wrapper that died on the stop signal while its worker shuts down, a worker
/// whose wrapper crashed), the process keeps the group as <see cref="ManagedProcess.LingeringGroup"/> until it is
/// empty: a stop reports STOPPED only then, and no new child is spawned before. How emptiness is learnt is in
/// <see cref="GroupPoll"/> (events as child subreaper, checks otherwise); it costs one kill(-pgid, 0) per reaped
/// leader, and nothing more for a program whose group dies with its leader.
/// </remarks>
internal sealed partial class TransitionActions(
    ISupervisionLoop loop,
    ISpawner spawner,
    IProcessSignaller signaller,
    IExitWatcher exitWatcher,
    TimeProvider time,
    ChildEnvironment environment)
{
    private const string ExitedTooQuickly = "Exited too quickly (process log may have details)";

    /// <summary>How many pids a log line names before it only counts the rest.</summary>
    private const int PidsNamed = 20;

    /// <summary>Children by pid, so a reaped pid finds its process.</summary>
    public Dictionary<int, ManagedProcess> ByPid { get; } = [];

    /// <summary>Processes by their lingering group, so the exit of an adopted orphan finds the process waiting for it.</summary>
    public Dictionary<int, ManagedProcess> ByGroup { get; } = [];

    // Spawns begun before the event that spawns reached its process (SpawnAhead): the process's Spawn action takes
    // its own, whatever order the events come in.
    private readonly Dictionary<ManagedProcess, PendingSpawn> _ahead = new(ReferenceEqualityComparer.Instance);

    /// <summary>
    /// Whether dispatching <paramref name="kind"/> to <paramref name="p"/> now calls the spawner: the table's cell
    /// spawns (<see cref="TransitionTable.WouldSpawn"/>) and nothing stops <see cref="Spawn"/> from spawning.
    /// </summary>
    public bool WouldSpawn(ManagedProcess p, ProcessEventKind kind) =>
        TransitionTable.WouldSpawn(p.State, kind) && SpawnRefusal(p) is null;

    /// <summary>
    /// Begins <paramref name="p"/>'s spawn now if the <paramref name="kind"/> event about to be dispatched to it is
    /// going to spawn (<see cref="WouldSpawn"/>): its Spawn action then only collects the outcome. Starting a batch
    /// this way, the spawner thread runs one child's posix_spawn while the loop records the previous child (pidfd,
    /// log capture, state changes) instead of both taking turns.
    /// </summary>
    public void SpawnAhead(ManagedProcess p, ProcessEventKind kind)
    {
        if (WouldSpawn(p, kind) && !_ahead.ContainsKey(p)) _ahead.Add(p, Begin(p));
    }

    /// <summary>After a batch: spawns begun ahead whose event never came (the batch was cut short) would leave children
    /// nobody supervises; they are killed (the reaper reaps them, no process claims their exit).</summary>
    public void AbandonSpawnsAhead()
    {
        foreach (var (p, spawn) in _ahead)
        {
            if (spawn.Collect() is not SpawnResult.Started started) continue;
            SupervisorLog.SpawnAbandoned(loop.Logger, p.Name, started.Pid);
            signaller.Signal(started.Pid, Signals.SIGKILL, toGroup: true);
            started.StdoutPipe?.Dispose();
            started.StderrPipe?.Dispose();
            started.StdinPipe?.Dispose();
        }
        _ahead.Clear();
    }

    public ProcessEvent? Run(TransitionAction action, ManagedProcess p, ProcessEvent e) => action switch
    {
        TransitionAction.None => null,
        TransitionAction.ResetRetriesAndSpawn => ResetRetriesAndSpawn(p),
        TransitionAction.Spawn => Spawn(p),
        TransitionAction.ArmStartDeadline => ArmStartDeadline(p),
        TransitionAction.ConfirmRunning => ConfirmRunning(p),
        TransitionAction.EnterBackoff => EnterBackoff(p),
        TransitionAction.RecordEarlyExitAndBackoff => RecordEarlyExitAndBackoff(p, e.Exit),
        TransitionAction.RecordExitAndMaybeRestart => RecordExitAndMaybeRestart(p, e.Exit),
        TransitionAction.ReapLeader => ReapLeader(p, e.Exit),
        TransitionAction.RecordStop => RecordStop(p),
        TransitionAction.RecordExitWithoutRestart => RecordExitWithoutRestart(p, e.Exit),
        TransitionAction.GiveUp => GiveUp(p),
        TransitionAction.SendStopSignal => SendStopSignal(p),
        TransitionAction.Kill => Kill(p),
        TransitionAction.KillLeftovers => KillLeftovers(p),
        TransitionAction.CancelRetry => CancelRetry(p),
        TransitionAction.SendSignal => SendSignal(p, e.Signal),
        TransitionAction.ClearDeadlines => ClearDeadlines(p),
        TransitionAction.CheckGroup => CheckGroup(p),
        TransitionAction.RefuseStart => RefuseStart(p),
        TransitionAction.ConfirmReady => ConfirmReady(p),
        TransitionAction.KillUnready => KillUnready(p),
        TransitionAction.StopAfterHook => StopAfterHook(p),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private ProcessEvent? ResetRetriesAndSpawn(ManagedProcess p)
    {
        p.Retries = 0;
        return Spawn(p);
    }

    private ProcessEvent? Spawn(ManagedProcess p)
    {
        switch (SpawnRefusal(p))
        {
            case SpawnRefused.ChildExists or SpawnRefused.ShuttingDown:
                return null;
            case SpawnRefused.GroupLingers:
                // What the previous child left is still being stopped: STARTING waits, GroupReleased spawns.
                SupervisorLog.SpawnWaitsForGroup(loop.Logger, p.Name, p.LingeringGroup!.Value);
                return null;
            case SpawnRefused.HookRunning:
                return null; // its end (HookDone) spawns
            case SpawnRefused.PreStartHookFirst:
                loop.RunHook(p, HookKind.PreStart); // its success (HookDone) spawns, its failure is SpawnFailed
                return null;
        }
        p.PreStartPassed = false;
        p.PreStopRan = false;
        p.ClearDeadlines();
        p.Killed = false;
        p.StartedAt = time.GetUtcNow();
        p.SpawnError = null;
        p.LastSpawnFailed = false;
        var pending = _ahead.Remove(p, out var ahead) ? ahead : Begin(p);
        SpawnResult result;
        try
        {
            result = pending.Collect();
        }
        catch (Exception e)
        {
            result = SpawnBug(p, e);
        }

        switch (result)
        {
            case SpawnResult.Started started:
                p.Pid = started.Pid;
                p.LastPid = started.Pid;
                p.Stdin = started.StdinPipe;
                ByPid[started.Pid] = p;
                p.Counters.Spawned();
                Attach(p, started);
                SupervisorLog.Spawned(loop.Logger, p.Name, started.Pid);
                return ProcessEventKind.Spawned;
            case SpawnResult.Failed failed:
                p.SpawnError = failed.Reason;
                p.LastSpawnFailed = true;
                p.Counters.SpawnFailed();
                SupervisorLog.SpawnError(loop.Logger, failed.Reason);
                return ProcessEventKind.SpawnFailed;
            default:
                throw new InvalidOperationException($"unexpected spawn result {result}");
        }
    }

    private enum SpawnRefused { ChildExists, GroupLingers, ShuttingDown, HookRunning, PreStartHookFirst }

    /// <summary>Why the Spawn action would not call the spawner now, or null if it would.</summary>
    private SpawnRefused? SpawnRefusal(ManagedProcess p) =>
        p.Pid is not null ? SpawnRefused.ChildExists // one child at a time, whatever event asked
        : p.LingeringGroup is not null ? SpawnRefused.GroupLingers
        : loop.ShuttingDown ? SpawnRefused.ShuttingDown // e.g. a spawn that waited for leftovers: too late now
        : p.Hook is not null ? SpawnRefused.HookRunning // a post-stop hook of the last child, say
        : p.Config.PreStartHook is not null && !p.PreStartPassed ? SpawnRefused.PreStartHookFirst
        : null;

    private PendingSpawn Begin(ManagedProcess p)
    {
        try
        {
            return spawner.Begin(BuildRequest(p.Config));
        }
        catch (Exception e)
        {
            return new PendingSpawn.Done(SpawnBug(p, e));
        }
    }

    // A spawner bug must not take the loop down; it becomes an ordinary spawn error.
    private static SpawnResult.Failed SpawnBug(ManagedProcess p, Exception e) =>
        new($"unknown error during spawn of '{p.Name}': {e.Message}");

    private void Attach(ManagedProcess p, SpawnResult.Started started)
    {
        try
        {
            var (stdoutTap, stderrTap) = loop.OutputTaps(p, started.Pid);
            loop.ChildLogs.Attach(p.Config, started.StdoutPipe, started.StderrPipe, stdoutTap, stderrTap, p.Counters.Output);
        }
        catch (Exception e)
        {
            // The child runs regardless; losing its output is bad but not a reason to stop supervising it.
            started.StdoutPipe?.Dispose();
            started.StderrPipe?.Dispose();
            SupervisorLog.AttachFailed(loop.Logger, e, p.Name);
        }
    }

    internal SpawnRequest BuildRequest(ProcessConfig c) => new(
        c.Command.Argv,
        WithNotifySocket(c, environment.For(c)),
        c.Directory,
        c.Umask,
        c.User,
        c.Stdout.Discards && !OutputEvents.TapsStdout(c) ? OutputRouting.Discard : OutputRouting.Pipe,
        c.RedirectStderr ? OutputRouting.SameAsStdout
            : c.Stderr.Discards && !OutputEvents.TapsStderr(c) ? OutputRouting.Discard : OutputRouting.Pipe,
        Limits: c.ResourceLimits);

    /// <summary>A program with a <c>notify</c> check finds its socket in <c>NOTIFY_SOCKET</c>, as under systemd.</summary>
    private System.Collections.Immutable.ImmutableArray<KeyValuePair<string, string>> WithNotifySocket(ProcessConfig c,
        System.Collections.Immutable.ImmutableArray<KeyValuePair<string, string>> env) =>
        (c.Readiness.Target is ProbeTarget.Notify || c.Liveness.Target is ProbeTarget.Notify) && loop.NotifySocketFor(c) is { } path
            ? [.. env.Where(kv => kv.Key != "NOTIFY_SOCKET"), KeyValuePair.Create("NOTIFY_SOCKET", path)]
            : env;

    private ProcessEvent? ArmStartDeadline(ManagedProcess p)
    {
        p.UnreadyReason = null;
        loop.ChildSpawned(p);
        if (p.Config.Readiness.IsSet)
        {
            // RUNNING comes with the check (Ready); startsecs is the time it has, 0 = as long as it takes.
            if (p.Config.StartSecs > 0) p.StartDeadline = time.GetUtcNow().AddSeconds(p.Config.StartSecs);
            return null;
        }
        if (p.Config.StartSecs <= 0) return ProcessEventKind.StartSecsElapsed;
        p.StartDeadline = time.GetUtcNow().AddSeconds(p.Config.StartSecs);
        return null;
    }

    private ProcessEvent? ConfirmRunning(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.Retries = 0;
        SupervisorLog.Success(loop.Logger, p.Name, p.Config.StartSecs);
        return null;
    }

    private ProcessEvent? ConfirmReady(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.Retries = 0;
        HealthLog.Ready(loop.Logger, p.Name, p.Config.Readiness.Target?.Raw ?? "none");
        return null;
    }

    private ProcessEvent? KillUnready(ManagedProcess p)
    {
        var why = p.ReadinessRun?.LastFailure ?? "no answer";
        p.UnreadyReason = $"not ready within {p.Config.StartSecs} seconds: {why}";
        HealthLog.NotReadyInTime(loop.Logger, p.Name, p.Config.StartSecs, why);
        if (p.Pid is not { } pid) return null;
        p.Killed = true;
        SupervisorLog.Killing(loop.Logger, p.Name, pid);
        return Deliver(p, Signals.SIGKILL, p.Config.KillAsGroup);
    }

    private ProcessEvent? EnterBackoff(ManagedProcess p)
    {
        // Not ClearDeadlines: the deadline of leftovers being stopped (StopDeadline) runs on in BACKOFF.
        p.StartDeadline = null;
        p.RetryAt = null;
        p.Retries++;
        if (p.Retries > p.Config.StartRetries) return ProcessEventKind.GiveUp;
        if (loop.ShuttingDown) return null; // no new attempts while everything is being stopped
        p.RetryAt = time.GetUtcNow().AddSeconds(p.Retries);
        return null;
    }

    private ProcessEvent? RecordEarlyExitAndBackoff(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = false;
        p.SpawnError = p.UnreadyReason ?? ExitedTooQuickly;
        SupervisorLog.ExitedUnexpected(loop.Logger, p.Name, exit.ToString());
        StopLeftovers(p, group);
        loop.RunHook(p, HookKind.PostStop);
        return EnterBackoff(p);
    }

    private ProcessEvent? RecordExitAndMaybeRestart(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.Retries = 0;
        var expected = IsExpected(p.Config, exit);
        p.ExitExpected = expected;
        if (expected) SupervisorLog.ExitedExpected(loop.Logger, p.Name, exit.ToString());
        else SupervisorLog.ExitedUnexpected(loop.Logger, p.Name, exit.ToString());
        StopLeftovers(p, group);
        loop.RunHook(p, HookKind.PostStop); // before any respawn, which then waits for it
        if (loop.EndsDaemon(p, fatal: false)) return null;

        var restart = p.Config.AutoRestart switch
        {
            AutoRestartPolicy.Always => true,
            AutoRestartPolicy.Unexpected => !expected,
            _ => false,
        };
        if (!restart || loop.ShuttingDown) return null;
        var now = time.GetUtcNow();
        if (p.Pacing.NextDelay(p.Config, p.StartedAt, now) is not { } delay)
            return ProcessEventKind.GiveUp;
        if (p.Pacing.RecordRespawn(now))
            SupervisorLog.RestartingTooFast(loop.Logger, p.Name);
        if (delay <= TimeSpan.Zero) return ProcessEventKind.Start;
        // The pause is a deadline like BACKOFF's: EXITED until it is due (RetryDue), a start or a stop cancels it.
        p.RetryAt = now + delay;
        return null;
    }

    /// <summary>
    /// The leader exited while STOPPING. The stop is not over while its group holds processes (DESIGN §2): a
    /// wrapper that died on the stop signal at once must not cut its worker's shutdown short. Waited for when the
    /// stop signal or the SIGKILL concerns the group (stopasgroup or killasgroup); with both false the stop is about
    /// the child alone, as in supervisord; after a SIGKILL to the child alone (killasgroup=false) what is left stays.
    /// </summary>
    private ProcessEvent? ReapLeader(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = IsExpected(p.Config, exit);
        loop.RunHook(p, HookKind.PostStop);
        var c = p.Config;
        if (group is not { } pgid || !(c.StopAsGroup || c.KillAsGroup) || !signaller.GroupHasMembers(pgid))
            return Release(p);
        if (p.Killed && !c.KillAsGroup)
        {
            SupervisorLog.LeftAlone(loop.Logger, p.Name, pgid, Pids(signaller.GroupMembers(pgid)));
            return Release(p);
        }
        SupervisorLog.WaitingForGroup(loop.Logger, p.Name, pgid);
        Linger(p, pgid);
        return null;
    }

    /// <summary>The stop is over: the leader is reaped and its group released.</summary>
    private ProcessEvent? RecordStop(ManagedProcess p)
    {
        var status = p.LastExit?.ToString() ?? "no exit status";
        if (p.ExitExpected) SupervisorLog.Stopped(loop.Logger, p.Name, status);
        else SupervisorLog.StoppedUnexpected(loop.Logger, p.Name, status);
        return null;
    }

    private ProcessEvent? RecordExitWithoutRestart(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = IsExpected(p.Config, exit);
        if (p.ExitExpected) SupervisorLog.ExitedExpected(loop.Logger, p.Name, exit.ToString());
        else SupervisorLog.ExitedUnexpected(loop.Logger, p.Name, exit.ToString());
        StopLeftovers(p, group);
        loop.RunHook(p, HookKind.PostStop);
        return null;
    }

    private ProcessEvent? GiveUp(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.RetryAt = null;
        p.Retries = 0;
        SupervisorLog.GaveUp(loop.Logger, p.Name);
        loop.EndsDaemon(p, fatal: true);
        return null;
    }

    private ProcessEvent? SendStopSignal(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.RetryAt = null;
        // STARTING whose spawn waits for the previous child's leftovers: they have had the stop signal and run on their
        // own deadline; the stop ends with them (at once if there is nothing at all).
        if (p.Pid is null) return p.LingeringGroup is null ? Release(p) : null;
        if (p.Config.PreStopHook is not null && !p.PreStopRan)
        {
            // The signal waits for the hook (bounded by hook_timeout); HookDone sends it.
            p.PreStopRan = true;
            loop.RunHook(p, HookKind.PreStop);
            if (p.Hook is { Kind: HookKind.PreStop }) return null;
        }
        p.StopDeadline = time.GetUtcNow().AddSeconds(p.Config.StopWaitSecs);
        var c = p.Config;
        SupervisorLog.SendingStopSignal(loop.Logger, p.Name, p.Pid ?? 0, c.StopAsGroup ? "process group " : "",
            Signals.Name(c.StopSignal));
        return Deliver(p, c.StopSignal, c.StopAsGroup);
    }

    private ProcessEvent? StopAfterHook(ManagedProcess p) =>
        p.Pid is null || !p.PreStopRan || p.StopDeadline is not null || p.Killed || p.Hook is { Kind: HookKind.PreStop }
            ? null
            : SendStopSignal(p);

    private ProcessEvent? Kill(ManagedProcess p)
    {
        if (p.Pid is not { } pid) return KillLeftovers(p);
        // One SIGKILL only: it cannot be caught, so repeating it would not help a child stuck in the kernel.
        p.StopDeadline = null;
        p.Killed = true;
        SupervisorLog.Killing(loop.Logger, p.Name, pid);
        return Deliver(p, Signals.SIGKILL, p.Config.KillAsGroup);
    }

    private ProcessEvent? CancelRetry(ManagedProcess p)
    {
        // The retry only: leftovers of the last child still being stopped go on (a later spawn waits for them).
        p.RetryAt = null;
        p.StartDeadline = null;
        SupervisorLog.StopInBackoff(loop.Logger, p.Name);
        return null;
    }

    private ProcessEvent? SendSignal(ManagedProcess p, int signal)
    {
        SupervisorLog.SendingSignal(loop.Logger, p.Name, p.Pid ?? 0, Signals.Name(signal));
        return Deliver(p, signal, toGroup: false);
    }

    private static ProcessEvent? ClearDeadlines(ManagedProcess p)
    {
        p.ClearDeadlines();
        return null;
    }

    private ProcessEvent? RefuseStart(ManagedProcess p)
    {
        SupervisorLog.AlreadyRunning(loop.Logger, p.Name);
        return null;
    }

    /// <summary>
    /// Sends a signal. ESRCH means the child died and is about to be reaped: not a failure, the exit
    /// will move the state (supervisord's rule: only a reaped exit ends a process). Any other errno
    /// (EPERM after a setuid child, EINVAL) means we lost control of it: UNKNOWN.
    /// </summary>
    private ProcessEvent? Deliver(ManagedProcess p, int signal, bool toGroup)
    {
        if (p.Pid is not { } pid) return null;
        var errno = signaller.Signal(pid, signal, toGroup);
        if (errno == 0) return null;
        if (errno == Errno.ESRCH)
        {
            SupervisorLog.SignalRaced(loop.Logger, p.Name, pid);
            return null;
        }
        SupervisorLog.SignalFailed(loop.Logger, p.Name, pid, errno);
        return ProcessEventKind.SignalFailed;
    }

    /// <summary>Records the child's exit; returns its process group (its pid: each child leads its own).</summary>
    private int? Reap(ManagedProcess p, ExitStatus exit)
    {
        var group = p.Pid;
        if (p.Pid is { } pid) ByPid.Remove(pid);
        p.Pid = null;
        // Every child gets a stdin pipe: closing ours with the exit is what keeps the daemon's descriptors flat.
        p.Stdin?.Dispose();
        p.Stdin = null;
        // The stop's deadline stays: a stop waits for the group within it (nothing else has deadlines with a live child).
        p.StartDeadline = null;
        p.LastExit = exit;
        p.StoppedAt = time.GetUtcNow();
        return group;
    }

    internal static bool IsExpected(ProcessConfig c, ExitStatus exit) =>
        exit.Code is { } code && c.ExitCodes.Contains(code);
}
