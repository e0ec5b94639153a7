using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Signalling;
using Taskmaster.Spawning;

namespace Taskmaster.Supervision;

/// <summary>
/// Runs the readiness and liveness checks of every process, without a thread or a timer per check: each process's
/// next check (or the timeout of the one in flight) is a deadline in the loop's queue (<see cref="ManagedProcess.ProbeAt"/>);
/// TCP, HTTP and log checks are asynchronous I/O whose result comes back as a loop message; an exec check is a child
/// of the spawner whose exit the reaper reports like any other. A result that is stale (the check timed out, the child
/// it was about is gone) is dropped by its generation.
/// </summary>
/// <remarks>
/// Readiness begins at the spawn: while STARTING, failures only mean "not yet" (the start's time limit is
/// <c>startsecs</c>); <c>success_threshold</c> successes in a row raise Ready (STARTING → RUNNING). Once RUNNING it keeps
/// going: <c>failure_threshold</c> failures in a row make the program "not ready" (status, dependents waiting for
/// <c>healthy</c>), a later pass makes it ready again. A <c>log:</c> or <c>notify</c> readiness is an event, done once
/// passed. Liveness begins at RUNNING; <c>failure_threshold</c> failures in a row run its failure action, once.
/// </remarks>
internal sealed class ProbeScheduler(
    ISupervisionLoop loop,
    TimeProvider time,
    ISpawner spawner,
    IProcessSignaller signaller,
    Func<ProcessConfig, SpawnRequest> requestFor,
    Action<string, Action> post,
    Action<ManagedProcess> healthChanged,
    Action<ManagedProcess, ProbeRun, string> unhealthy)
{
    private readonly Dictionary<int, (ManagedProcess Process, ProbeRun Run, long Generation)> _execByPid = [];

    /// <summary>The spawn of <paramref name="p"/>'s child: its readiness check begins.</summary>
    public void Spawned(ManagedProcess p)
    {
        Ended(p);
        p.NotifyStatus = null;
        if (p.Config.Readiness is not { IsSet: true } readiness) return;
        var run = p.ReadinessRun = new ProbeRun(readiness, liveness: false);
        if (readiness.Target is ProbeTarget.LogLine) StartLogsAtTheirEnd(p, run);
        run.NextAt = readiness.Target is ProbeTarget.Notify ? null : time.GetUtcNow() + readiness.InitialDelay;
        Reschedule(p);
    }

    /// <summary><paramref name="p"/> entered RUNNING: its liveness check begins.</summary>
    public void EnteredRunning(ManagedProcess p)
    {
        if (p.Config.Liveness is not { IsSet: true } liveness) return;
        var run = p.LivenessRun = new ProbeRun(liveness, liveness: true) { Passing = true };
        if (liveness.Target is ProbeTarget.LogLine) StartLogsAtTheirEnd(p, run);
        var now = time.GetUtcNow();
        run.LastBeat = now;
        run.NextAt = now + liveness.InitialDelay + (liveness.Target is ProbeTarget.Notify ? liveness.Period : TimeSpan.Zero);
        Reschedule(p);
    }

    /// <summary>The child is gone or being stopped: every check of it ends.</summary>
    public void Ended(ManagedProcess p)
    {
        if (p.ReadinessRun is null && p.LivenessRun is null) return;
        Abandon(p.ReadinessRun);
        Abandon(p.LivenessRun);
        p.ReadinessRun = null;
        p.LivenessRun = null;
        p.ProbeAt = null;
    }

    /// <summary>A check of <paramref name="p"/> is due: launch it, or time out the one in flight.</summary>
    public void Due(ManagedProcess p)
    {
        var now = time.GetUtcNow();
        foreach (var run in Runs(p))
        {
            if (run.NextAt is not { } at || at > now) continue;
            if (run.InFlight) Record(p, run, $"{run.Config.Target!.Raw}: timed out after {Seconds(run.Config.Timeout)}");
            else Launch(p, run, now);
        }
        Reschedule(p);
    }

    /// <summary>An exit the reaper reported: true when it was an exec check's (then recorded).</summary>
    public bool ExecExited(int pid, ExitStatus status)
    {
        if (!_execByPid.Remove(pid, out var check)) return false;
        var (p, run, generation) = check;
        if (run.ExecPid == pid) run.ExecPid = null; // reaped: never signal this pid again
        if (run.Generation == generation && run.InFlight && IsCurrent(p, run))
        {
            Record(p, run, status.Code == 0 ? null : $"{run.Config.Target!.Raw}: {status}");
            Reschedule(p);
        }
        return true;
    }

    /// <summary>A datagram on <paramref name="p"/>'s notify socket (systemd's <c>KEY=VALUE</c> lines).</summary>
    public void Notified(ManagedProcess p, string message)
    {
        if (p.Pid is null) return;
        foreach (var line in message.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = line.IndexOf('=');
            if (eq < 0) continue;
            var (key, value) = (line[..eq], line[(eq + 1)..]);
            switch (key)
            {
                case "READY" when value == "1" && p.ReadinessRun is { Config.Target: ProbeTarget.Notify } ready && !ready.Passing:
                    ready.Successes = ready.Config.SuccessThreshold - 1;
                    Record(p, ready, null);
                    break;
                case "STATUS":
                    p.NotifyStatus = value.Length > 200 ? value[..200] : value;
                    HealthLog.NotifyStatus(loop.Logger, p.Name, p.NotifyStatus);
                    break;
                case "WATCHDOG" when value == "1" && p.LivenessRun is { } alive:
                    alive.LastBeat = time.GetUtcNow();
                    break;
                case "EXTEND_TIMEOUT_USEC" when p.State == ProcessState.Starting && p.StartDeadline is { } deadline
                    && long.TryParse(value, out var micros) && micros > 0:
                    var extended = time.GetUtcNow() + TimeSpan.FromMicroseconds(Math.Min(micros, 86_400_000_000L));
                    if (extended > deadline) p.StartDeadline = extended;
                    break;
            }
        }
        Reschedule(p);
    }

    private static IEnumerable<ProbeRun> Runs(ManagedProcess p)
    {
        if (p.ReadinessRun is { } r) yield return r;
        if (p.LivenessRun is { } l) yield return l;
    }

    private static bool IsCurrent(ManagedProcess p, ProbeRun run) =>
        ReferenceEquals(p.ReadinessRun, run) || ReferenceEquals(p.LivenessRun, run);

    private static void Reschedule(ManagedProcess p)
    {
        DateTimeOffset? earliest = null;
        foreach (var run in Runs(p))
            if (run.NextAt is { } at && (earliest is null || at < earliest)) earliest = at;
        if (p.ProbeAt != earliest) p.ProbeAt = earliest;
    }

    private void Launch(ManagedProcess p, ProbeRun run, DateTimeOffset now)
    {
        run.Generation++;
        run.LaunchedAt = now;
        var target = run.Config.Target!;
        if (target is ProbeTarget.Notify)
        {
            // Liveness by watchdog: a WATCHDOG=1 must have come within the last period.
            run.NextAt = now + run.Config.Period;
            var beat = run.LastBeat ?? DateTimeOffset.MinValue;
            Record(p, run, now - beat <= run.Config.Period ? null : $"no WATCHDOG=1 within {Seconds(run.Config.Period)}");
            return;
        }
        run.InFlight = true;
        run.NextAt = now + run.Config.Timeout;
        var generation = run.Generation;
        switch (target)
        {
            case ProbeTarget.Exec exec:
                LaunchExec(p, run, exec, generation);
                return;
            case ProbeTarget.Tcp tcp:
                Complete(p, run, generation, cancel => ProbeChecks.TcpAsync(tcp, cancel));
                return;
            case ProbeTarget.Http http:
                Complete(p, run, generation, cancel => ProbeChecks.HttpAsync(http, run.Config.HttpStatus, cancel));
                return;
            case ProbeTarget.LogLine log:
                var offsets = (long[])run.LogOffsets.Clone();
                string?[] paths = [p.Config.Stdout.Path, p.Config.Stderr.Path];
                Complete(p, run, generation, async cancel =>
                {
                    var why = await ProbeChecks.LogAsync(log, paths, offsets, cancel).ConfigureAwait(false);
                    post("probe offsets", () =>
                    {
                        if (run.Generation == generation) offsets.CopyTo(run.LogOffsets, 0);
                    });
                    return why;
                });
                return;
        }
    }

    private void LaunchExec(ManagedProcess p, ProbeRun run, ProbeTarget.Exec exec, long generation)
    {
        var request = requestFor(p.Config) with
        {
            Argv = exec.Argv, Stdout = OutputRouting.Discard, Stderr = OutputRouting.Discard, StdinPipe = false,
        };
        SpawnResult result;
        try
        {
            result = spawner.Spawn(request);
        }
        catch (Exception e)
        {
            result = new SpawnResult.Failed(e.Message);
        }
        switch (result)
        {
            case SpawnResult.Started started:
                started.StdinPipe?.Dispose();
                started.StdoutPipe?.Dispose();
                started.StderrPipe?.Dispose();
                run.ExecPid = started.Pid;
                _execByPid[started.Pid] = (p, run, generation);
                break;
            case SpawnResult.Failed failed:
                Record(p, run, $"{exec.Raw}: {failed.Reason}");
                break;
        }
    }

    private void Complete(ManagedProcess p, ProbeRun run, long generation, Func<CancellationToken, Task<string?>> check)
    {
        var cancel = run.Cancel = new CancellationTokenSource();
        var token = cancel.Token;
        _ = RunAsync();

        async Task RunAsync()
        {
            string? why;
            try
            {
                why = await check(token).ConfigureAwait(false);
            }
            catch (Exception e)
            {
                why = $"{run.Config.Target!.Raw}: {e.Message}";
            }
            post("probe result", () =>
            {
                if (run.Generation != generation || !run.InFlight || !IsCurrent(p, run)) return;
                Record(p, run, why);
                Reschedule(p);
            });
        }
    }

    /// <summary>One check's outcome: counts, and what passing or failing means for the process.</summary>
    private void Record(ManagedProcess p, ProbeRun run, string? failure)
    {
        if (run.InFlight) Abandon(run);
        run.Generation++;
        var now = time.GetUtcNow();
        if (run.Config.Target is not ProbeTarget.Notify)
        {
            var next = run.LaunchedAt + run.Config.Period;
            run.NextAt = next > now ? next : now;
        }
        if (failure is null)
        {
            run.Successes++;
            run.Failures = 0;
        }
        else
        {
            run.Failures++;
            run.Successes = 0;
            run.LastFailure = failure;
        }

        if (run.IsLiveness)
        {
            if (failure is null && !run.Passing)
            {
                run.Passing = true;
                healthChanged(p);
            }
            if (failure is not null && run.Failures == run.Config.FailureThreshold)
            {
                run.Passing = false;
                healthChanged(p);
                unhealthy(p, run, failure);
            }
            return;
        }

        if (!run.Passing && run.Successes >= run.Config.SuccessThreshold)
        {
            run.Passing = true;
            run.LastFailure = null;
            // An event, not a state: once seen, a log line or READY=1 stays true for this child.
            if (run.Config.Target is ProbeTarget.LogLine or ProbeTarget.Notify) run.NextAt = null;
            if (p.State == ProcessState.Starting) loop.Dispatch(p, ProcessEventKind.Ready);
            else HealthLog.ReadyAgain(loop.Logger, p.Name);
            healthChanged(p);
        }
        else if (run.Passing && failure is not null && run.Failures == run.Config.FailureThreshold)
        {
            run.Passing = false;
            HealthLog.NoLongerReady(loop.Logger, p.Name, run.Failures, failure);
            healthChanged(p);
        }
    }

    private void Abandon(ProbeRun? run)
    {
        if (run is null) return;
        // An exec check still running is killed; its exit is still reported (and swallowed by _execByPid).
        if (run.ExecPid is { } pid) signaller.Signal(pid, Signals.SIGKILL, toGroup: true);
        run.Abandon();
    }

    /// <summary>A log check looks only at what the child writes: the files as they are at the spawn are skipped.</summary>
    private static void StartLogsAtTheirEnd(ManagedProcess p, ProbeRun run)
    {
        run.LogOffsets[0] = Length(p.Config.Stdout.Path);
        run.LogOffsets[1] = Length(p.Config.Stderr.Path);

        static long Length(string? path)
        {
            try
            {
                return path is not null && File.Exists(path) ? new FileInfo(path).Length : 0;
            }
            catch (IOException)
            {
                return 0;
            }
        }
    }

    private static string Seconds(TimeSpan t) => t.TotalSeconds >= 1 && t.Milliseconds == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";
}
