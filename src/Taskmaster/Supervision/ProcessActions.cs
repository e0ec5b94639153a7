using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Logging;
using Taskmaster.Spawning;

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
internal sealed partial class ProcessActions(
    ISpawner spawner,
    IProcessSignaller signaller,
    IExitWatcher exitWatcher,
    IChildLogs childLogs,
    TimeProvider time,
    ILogger logger,
    IReadOnlyDictionary<string, string> baseEnvironment,
    Func<ImmutableArray<KeyValuePair<string, string>>> daemonEnvironment,
    Func<bool> shuttingDown)
{
    private const int ESRCH = 3;
    private const string ExitedTooQuickly = "Exited too quickly (process log may have details)";

    /// <summary>How many pids a log line names before it only counts the rest.</summary>
    private const int PidsNamed = 20;

    /// <summary>Children by pid, so a reaped pid finds its process.</summary>
    public Dictionary<int, ManagedProcess> ByPid { get; } = [];

    /// <summary>Processes by their lingering group, so the exit of an adopted orphan finds the process waiting for it.</summary>
    public Dictionary<int, ManagedProcess> ByGroup { get; } = [];

    // Spawns begun before their process's Start reached the Spawn action (SpawnAhead), oldest first.
    private readonly Queue<(ManagedProcess Process, PendingSpawn Spawn)> _ahead = new();

    /// <summary>
    /// Begins <paramref name="p"/>'s spawn now, for the Start about to be dispatched to it: its Spawn action then
    /// only collects the outcome. Starting a batch this way, the spawner thread runs one child's posix_spawn while
    /// the loop records the previous child (pidfd, log capture, state changes) instead of both taking turns.
    /// </summary>
    public void SpawnAhead(ManagedProcess p) => _ahead.Enqueue((p, Begin(p)));

    /// <summary>After a batch: spawns begun ahead whose Start never came (the batch was cut short) would leave children
    /// nobody supervises; they are killed (the reaper reaps them, no process claims their exit).</summary>
    public void AbandonSpawnsAhead()
    {
        while (_ahead.TryDequeue(out var ahead))
        {
            if (ahead.Spawn.Collect() is not SpawnResult.Started started) continue;
            SupervisorLog.SpawnAbandoned(logger, ahead.Process.Name, started.Pid);
            signaller.Signal(started.Pid, Signals.SIGKILL, toGroup: true);
            started.StdoutPipe?.Dispose();
            started.StderrPipe?.Dispose();
            started.StdinPipe?.Dispose();
        }
    }

    public ProcessInput? Run(ProcessAction action, ManagedProcess p, ProcessInput input) => action switch
    {
        ProcessAction.None => null,
        ProcessAction.ResetRetriesAndSpawn => ResetRetriesAndSpawn(p),
        ProcessAction.Spawn => Spawn(p),
        ProcessAction.ArmStartDeadline => ArmStartDeadline(p),
        ProcessAction.ConfirmRunning => ConfirmRunning(p),
        ProcessAction.EnterBackoff => EnterBackoff(p),
        ProcessAction.RecordEarlyExitAndBackoff => RecordEarlyExitAndBackoff(p, input.Exit),
        ProcessAction.RecordExitAndMaybeRestart => RecordExitAndMaybeRestart(p, input.Exit),
        ProcessAction.ReapLeader => ReapLeader(p, input.Exit),
        ProcessAction.RecordStop => RecordStop(p),
        ProcessAction.RecordExitWithoutRestart => RecordExitWithoutRestart(p, input.Exit),
        ProcessAction.GiveUp => GiveUp(p),
        ProcessAction.SendStopSignal => SendStopSignal(p),
        ProcessAction.Kill => Kill(p),
        ProcessAction.KillLeftovers => KillLeftovers(p),
        ProcessAction.CancelRetry => CancelRetry(p),
        ProcessAction.SendSignal => SendSignal(p, input.Signal),
        ProcessAction.ClearDeadlines => ClearDeadlines(p),
        ProcessAction.CheckGroup => CheckGroup(p),
        ProcessAction.RefuseStart => RefuseStart(p),
        _ => throw new ArgumentOutOfRangeException(nameof(action), action, null),
    };

    private ProcessInput? ResetRetriesAndSpawn(ManagedProcess p)
    {
        p.Retries = 0;
        return Spawn(p);
    }

    private ProcessInput? Spawn(ManagedProcess p)
    {
        if (p.Pid is not null) return null; // one child at a time, whatever event asked
        if (p.LingeringGroup is { } pgid)
        {
            // What the previous child left is still being stopped: STARTING waits, GroupReleased spawns.
            SupervisorLog.SpawnWaitsForGroup(logger, p.Name, pgid);
            return null;
        }
        if (shuttingDown()) return null; // a spawn that waited for leftovers: too late now
        p.ClearDeadlines();
        p.Killed = false;
        p.StartedAt = time.GetUtcNow();
        p.SpawnError = null;
        p.LastSpawnFailed = false;
        var pending = _ahead.TryPeek(out var ahead) && ahead.Process == p ? _ahead.Dequeue().Spawn : Begin(p);
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
                p.Stdin = started.StdinPipe;
                ByPid[started.Pid] = p;
                Attach(p, started);
                SupervisorLog.Spawned(logger, p.Name, started.Pid);
                return ProcessEvent.Spawned;
            case SpawnResult.Failed failed:
                p.SpawnError = failed.Reason;
                p.LastSpawnFailed = true;
                SupervisorLog.SpawnError(logger, failed.Reason);
                return ProcessEvent.SpawnFailed;
            default:
                throw new InvalidOperationException($"unexpected spawn result {result}");
        }
    }

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
            childLogs.Attach(p.Config, started.StdoutPipe, started.StderrPipe);
        }
        catch (Exception e)
        {
            // The child runs regardless; losing its output is bad but not a reason to stop supervising it.
            started.StdoutPipe?.Dispose();
            started.StderrPipe?.Dispose();
            SupervisorLog.AttachFailed(logger, e, p.Name);
        }
    }

    public SpawnRequest BuildRequest(ProcessConfig c) => new(
        c.Command.Argv,
        ChildEnvironment.Build(baseEnvironment, daemonEnvironment(), c),
        c.Directory,
        c.Umask,
        c.User,
        c.Stdout.Discards ? OutputRouting.Discard : OutputRouting.Pipe,
        c.RedirectStderr ? OutputRouting.SameAsStdout
            : c.Stderr.Discards ? OutputRouting.Discard : OutputRouting.Pipe);

    private ProcessInput? ArmStartDeadline(ManagedProcess p)
    {
        if (p.Config.StartSecs <= 0) return ProcessEvent.StartSecsElapsed;
        p.StartDeadline = time.GetUtcNow().AddSeconds(p.Config.StartSecs);
        return null;
    }

    private ProcessInput? ConfirmRunning(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.Retries = 0;
        SupervisorLog.Success(logger, p.Name, p.Config.StartSecs);
        return null;
    }

    private ProcessInput? EnterBackoff(ManagedProcess p)
    {
        // Not ClearDeadlines: the deadline of leftovers being stopped (StopDeadline) runs on in BACKOFF.
        p.StartDeadline = null;
        p.RetryAt = null;
        p.Retries++;
        if (p.Retries > p.Config.StartRetries) return ProcessEvent.GiveUp;
        if (shuttingDown()) return null; // no new attempts while everything is being stopped
        p.RetryAt = time.GetUtcNow().AddSeconds(p.Retries);
        return null;
    }

    private ProcessInput? RecordEarlyExitAndBackoff(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = false;
        p.SpawnError = ExitedTooQuickly;
        SupervisorLog.ExitedUnexpected(logger, p.Name, exit.ToString());
        StopLeftovers(p, group);
        return EnterBackoff(p);
    }

    private ProcessInput? RecordExitAndMaybeRestart(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.Retries = 0;
        var expected = IsExpected(p.Config, exit);
        p.ExitExpected = expected;
        if (expected) SupervisorLog.ExitedExpected(logger, p.Name, exit.ToString());
        else SupervisorLog.ExitedUnexpected(logger, p.Name, exit.ToString());
        StopLeftovers(p, group);

        var restart = p.Config.AutoRestart switch
        {
            AutoRestartPolicy.Always => true,
            AutoRestartPolicy.Unexpected => !expected,
            _ => false,
        };
        if (!restart || shuttingDown()) return null;
        var now = time.GetUtcNow();
        if (p.Pacing.NextDelay(p.Config, p.StartedAt, now) is not { } delay)
            return ProcessEvent.GiveUp;
        if (p.Pacing.RecordRespawn(now))
            SupervisorLog.RestartingTooFast(logger, p.Name);
        if (delay <= TimeSpan.Zero) return ProcessEvent.Start;
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
    private ProcessInput? ReapLeader(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = IsExpected(p.Config, exit);
        var c = p.Config;
        if (group is not { } pgid || !(c.StopAsGroup || c.KillAsGroup) || !signaller.GroupHasMembers(pgid))
            return Release(p);
        if (p.Killed && !c.KillAsGroup)
        {
            SupervisorLog.LeftAlone(logger, p.Name, pgid, Pids(signaller.GroupMembers(pgid)));
            return Release(p);
        }
        SupervisorLog.WaitingForGroup(logger, p.Name, pgid);
        Linger(p, pgid);
        return null;
    }

    /// <summary>The stop is over: the leader is reaped and its group released.</summary>
    private ProcessInput? RecordStop(ManagedProcess p)
    {
        var status = p.LastExit?.ToString() ?? "no exit status";
        if (p.ExitExpected) SupervisorLog.Stopped(logger, p.Name, status);
        else SupervisorLog.StoppedUnexpected(logger, p.Name, status);
        return null;
    }

    private ProcessInput? RecordExitWithoutRestart(ManagedProcess p, ExitStatus exit)
    {
        var group = Reap(p, exit);
        p.ExitExpected = IsExpected(p.Config, exit);
        if (p.ExitExpected) SupervisorLog.ExitedExpected(logger, p.Name, exit.ToString());
        else SupervisorLog.ExitedUnexpected(logger, p.Name, exit.ToString());
        StopLeftovers(p, group);
        return null;
    }

    private ProcessInput? GiveUp(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.RetryAt = null;
        p.Retries = 0;
        SupervisorLog.GaveUp(logger, p.Name);
        return null;
    }

    private ProcessInput? SendStopSignal(ManagedProcess p)
    {
        p.StartDeadline = null;
        p.RetryAt = null;
        // STARTING whose spawn waits for the previous child's leftovers: they have had the stop signal and run on their
        // own deadline; the stop ends with them (at once if there is nothing at all).
        if (p.Pid is null) return p.LingeringGroup is null ? Release(p) : null;
        p.StopDeadline = time.GetUtcNow().AddSeconds(p.Config.StopWaitSecs);
        var c = p.Config;
        SupervisorLog.SendingStopSignal(logger, p.Name, p.Pid ?? 0, c.StopAsGroup ? "process group " : "",
            Signals.Name(c.StopSignal));
        return Deliver(p, c.StopSignal, c.StopAsGroup);
    }

    private ProcessInput? Kill(ManagedProcess p)
    {
        if (p.Pid is not { } pid) return KillLeftovers(p);
        // One SIGKILL only: it cannot be caught, so repeating it would not help a child stuck in the kernel.
        p.StopDeadline = null;
        p.Killed = true;
        SupervisorLog.Killing(logger, p.Name, pid);
        return Deliver(p, Signals.SIGKILL, p.Config.KillAsGroup);
    }

    private ProcessInput? CancelRetry(ManagedProcess p)
    {
        // The retry only: leftovers of the last child still being stopped go on (a later spawn waits for them).
        p.RetryAt = null;
        p.StartDeadline = null;
        SupervisorLog.StopInBackoff(logger, p.Name);
        return null;
    }

    private ProcessInput? SendSignal(ManagedProcess p, int signal)
    {
        SupervisorLog.SendingSignal(logger, p.Name, p.Pid ?? 0, Signals.Name(signal));
        return Deliver(p, signal, toGroup: false);
    }

    private static ProcessInput? ClearDeadlines(ManagedProcess p)
    {
        p.ClearDeadlines();
        return null;
    }

    private ProcessInput? RefuseStart(ManagedProcess p)
    {
        SupervisorLog.AlreadyRunning(logger, p.Name);
        return null;
    }

    /// <summary>
    /// Sends a signal. ESRCH means the child died and is about to be reaped: not a failure, the exit
    /// will move the state (supervisord's rule: only a reaped exit ends a process). Any other errno
    /// (EPERM after a setuid child, EINVAL) means we lost control of it: UNKNOWN.
    /// </summary>
    private ProcessInput? Deliver(ManagedProcess p, int signal, bool toGroup)
    {
        if (p.Pid is not { } pid) return null;
        var errno = signaller.Signal(pid, signal, toGroup);
        if (errno == 0) return null;
        if (errno == ESRCH)
        {
            SupervisorLog.SignalRaced(logger, p.Name, pid);
            return null;
        }
        SupervisorLog.SignalFailed(logger, p.Name, pid, errno);
        return ProcessEvent.SignalFailed;
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

    private static bool IsExpected(ProcessConfig c, ExitStatus exit) =>
        exit.Code is { } code && c.ExitCodes.Contains(code);
}
