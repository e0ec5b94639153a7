using Taskmaster.Config;
using Taskmaster.Posix;
using Taskmaster.Signalling;
using Taskmaster.Spawning;

namespace Taskmaster.Supervision.Hooks;

/// <summary>
/// Runs the hooks of every process without ever waiting for one: a hook is a child of the spawner (the program's user,
/// directory and environment, plus <c>TASKMASTER_HOOK</c>), its output is captured into the program's stdout log like
/// the program's own, its exit comes from the reaper like any other, and its <c>hook_timeout</c> is a deadline in the
/// loop's queue (<see cref="ManagedProcess.HookAt"/>). A process has at most one hook running
/// (<see cref="ManagedProcess.Hook"/>); a post-stop hook that comes while a pre-stop hook still runs waits for it.
/// </summary>
/// <remarks>
/// What waits for a hook is the transition table's business: a spawn is refused while a hook runs or before the
/// pre-start hook passed, and a stop holds its signal until the pre-stop hook ends (<c>TransitionActions</c>). When a
/// hook ends, the runner dispatches <see cref="ProcessEventKind.HookDone"/> (the table resumes the spawn or the stop),
/// or <see cref="ProcessEventKind.SpawnFailed"/> for a pre-start hook that failed: BACKOFF and FATAL as for any start.
/// A process with no hook key pays nothing: no field is set and no code here runs for it.
/// </remarks>
internal sealed class HookRunner(
    ISupervisionLoop loop,
    TimeProvider time,
    ISpawner spawner,
    IProcessSignaller signaller,
    Func<ProcessConfig, SpawnRequest> requestFor,
    Action<string, Action> post)
{
    /// <summary>How long a hook that survived SIGKILL (stuck in the kernel) is still waited for.</summary>
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    private readonly Dictionary<int, (ManagedProcess Process, HookRun Run)> _byPid = [];

    /// <summary>Starts <paramref name="kind"/>'s hook of <paramref name="p"/>, or queues a post-stop hook behind the
    /// one running; a kind the configuration does not set does nothing.</summary>
    public void Run(ManagedProcess p, HookKind kind)
    {
        if (CommandOf(p.Config, kind) is not { } command) return;
        if (p.Hook is not null)
        {
            if (kind == HookKind.PostStop) p.PostStopQueued = true;
            return;
        }
        var request = requestFor(p.Config) is var r ? r with
        {
            Argv = command.Argv, Stdout = OutputRouting.Pipe, Stderr = OutputRouting.SameAsStdout, StdinPipe = false,
            Environment = [.. r.Environment.Where(kv => kv.Key != "TASKMASTER_HOOK"), KeyValuePair.Create("TASKMASTER_HOOK", kind.KeyName())],
        } : null!;
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
            {
                started.StdinPipe?.Dispose();
                var run = new HookRun(kind, started.Pid, new OutputTail());
                p.Hook = run;
                _byPid[started.Pid] = (p, run);
                p.HookAt = time.GetUtcNow() + p.Config.HookTimeout;
                try
                {
                    loop.ChildLogs.Attach(p.Config, started.StdoutPipe, null, run.Output);
                }
                catch (Exception e)
                {
                    started.StdoutPipe?.Dispose();
                    SupervisorLog.AttachFailed(loop.Logger, e, p.Name);
                }
                HookLog.Spawned(loop.Logger, kind.KeyName(), p.Name, started.Pid);
                break;
            }
            case SpawnResult.Failed failed:
            {
                // Reported as a message of its own, as an exit would be: the caller is in the middle of an action.
                var reason = failed.Reason;
                HookLog.Failed(loop.Logger, kind.KeyName(), p.Name, reason, "");
                var run = new HookRun(kind, 0, new OutputTail());
                p.Hook = run;
                post("hook spawn failed", () =>
                {
                    if (ReferenceEquals(p.Hook, run)) Finish(p, run, reason);
                });
                break;
            }
        }
    }

    /// <summary>An exit the reaper reported: true when it was a hook's (then its outcome is acted on).</summary>
    public bool Exited(int pid, ExitStatus status)
    {
        if (!_byPid.Remove(pid, out var entry)) return false;
        var (p, run) = entry;
        if (!ReferenceEquals(p.Hook, run)) return true; // given up on after SIGKILL: its turn has passed
        string? failure = run.TimedOut ? $"timed out after {Format(p.Config.HookTimeout)}"
            : status.Code == 0 ? null
            : status.ToString();
        if (failure is null) HookLog.Succeeded(loop.Logger, run.Kind.KeyName(), p.Name);
        else if (!run.Cancelled)
            HookLog.Failed(loop.Logger, run.Kind.KeyName(), p.Name, failure, run.Output.LastLine() is { } line ? $": {line}" : "");
        Finish(p, run, failure);
        return true;
    }

    /// <summary><paramref name="p"/>'s <c>hook_timeout</c> passed: the hook's group gets SIGKILL (its exit then ends
    /// it, as failed); one that outlives that by <see cref="KillWait"/> is let go.</summary>
    public void TimedOut(ManagedProcess p)
    {
        if (p.Hook is not { } run) return;
        if (run.TimedOut || run.Cancelled)
        {
            HookLog.GaveUp(loop.Logger, run.Kind.KeyName(), p.Name, run.Pid);
            Finish(p, run, $"not reaped after SIGKILL");
            return;
        }
        run.TimedOut = true;
        HookLog.TimedOut(loop.Logger, run.Kind.KeyName(), p.Name, run.Pid, Format(p.Config.HookTimeout));
        Kill(p, run);
    }

    /// <summary>Nothing waits for <paramref name="p"/>'s pre-start hook any more (a stop, a shutdown): it is killed;
    /// the next spawn still waits for its exit.</summary>
    public void CancelPreStart(ManagedProcess p)
    {
        p.PreStartPassed = false;
        if (p.Hook is not { Kind: HookKind.PreStart, Cancelled: false } run) return;
        run.Cancelled = true;
        Kill(p, run);
    }

    private void Kill(ManagedProcess p, HookRun run)
    {
        if (run.Pid > 0) signaller.Signal(run.Pid, Signals.SIGKILL, toGroup: true);
        p.HookAt = time.GetUtcNow() + KillWait;
    }

    /// <summary>The hook is over: the process learns its outcome, then the next hook or the waiting spawn or stop
    /// gets its turn.</summary>
    private void Finish(ManagedProcess p, HookRun run, string? failure)
    {
        if (run.Pid > 0) _byPid.Remove(run.Pid);
        p.Hook = null;
        p.HookAt = null;
        if (p.Deadlines is null) return; // the process left the directory (a reload removed it)
        if (p.PostStopQueued)
        {
            p.PostStopQueued = false;
            Run(p, HookKind.PostStop);
            if (p.Hook is not null) return; // its end resumes whatever waits
        }
        if (run.Kind == HookKind.PreStart && !run.Cancelled && p.State == ProcessState.Starting && p.Pid is null)
        {
            if (failure is not null)
            {
                p.SpawnError = $"pre_start_hook failed ({failure})";
                p.Counters.SpawnFailed();
                loop.Dispatch(p, ProcessEventKind.SpawnFailed);
                return;
            }
            p.PreStartPassed = true;
        }
        loop.Dispatch(p, ProcessEventKind.HookDone);
    }

    private static CommandLine? CommandOf(ProcessConfig c, HookKind kind) => kind switch
    {
        HookKind.PreStart => c.PreStartHook,
        HookKind.PreStop => c.PreStopHook,
        _ => c.PostStopHook,
    };

    private static string Format(TimeSpan t) => t.Milliseconds == 0 ? $"{(long)t.TotalSeconds}s" : $"{(long)t.TotalMilliseconds}ms";
}
