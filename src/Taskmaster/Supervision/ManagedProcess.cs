using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;
using Taskmaster.Spawning;

namespace Taskmaster.Supervision;

/// <summary>
/// One supervised instance as the loop sees it: its configuration, state, child and deadlines.
/// Only the supervision loop thread reads or writes it, so it needs no locks. <see cref="Config"/> is
/// settable so a reload can replace it in place once the process is stopped.
/// </summary>
internal sealed class ManagedProcess(ProcessConfig config)
{
    public ProcessConfig Config { get; set; } = config;
    public string Name => Config.Name;
    public string Group => Config.GroupName;
    public string FullName => Config.FullName;

    public ProcessState State { get; set; } = ProcessState.Stopped;
    public int? Pid { get; set; }
    /// <summary>The daemon's (non-blocking) end of the child's stdin pipe, from spawn until the child is reaped or
    /// closes its stdin; null otherwise.</summary>
    public SafeFileHandle? Stdin { get; set; }
    /// <summary>BACKOFF entries since the last RUNNING (supervisord's <c>backoff</c>).</summary>
    public int Retries { get; set; }
    public string? SpawnError { get; set; }
    /// <summary>True when the last start attempt failed in the spawner itself (no child was created).</summary>
    public bool LastSpawnFailed { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? StoppedAt { get; set; }
    public ExitStatus? LastExit { get; set; }
    public bool ExitExpected { get; set; }

    // Deadlines are data: the loop sleeps until the earliest one of all processes.
    /// <summary>When STARTING becomes RUNNING (spawn + startsecs).</summary>
    public DateTimeOffset? StartDeadline { get; set; }
    /// <summary>When STOPPING escalates to SIGKILL (stop signal + stopwaitsecs).</summary>
    public DateTimeOffset? StopDeadline { get; set; }
    /// <summary>When BACKOFF tries again (entry + retry count seconds).</summary>
    public DateTimeOffset? RetryAt { get; set; }

    /// <summary>The earliest pending deadline and the event it raises, if any.</summary>
    public (DateTimeOffset At, ProcessEvent Event)? NextDeadline
    {
        get
        {
            (DateTimeOffset, ProcessEvent)? best = null;
            Consider(StartDeadline, ProcessEvent.StartSecsElapsed);
            Consider(StopDeadline, ProcessEvent.StopTimeout);
            Consider(RetryAt, ProcessEvent.RetryDue);
            return best;

            void Consider(DateTimeOffset? at, ProcessEvent e)
            {
                if (at is { } t && (best is null || t < best.Value.Item1)) best = (t, e);
            }
        }
    }

    public void ClearDeadlines() => (StartDeadline, StopDeadline, RetryAt) = (null, null, null);

    /// <summary>A child exists (or may exist) for this process.</summary>
    public bool HasChild => Pid is not null;

    public ProcessSnapshot Snapshot(TimeProvider time) => new(
        Name, Group, State, Pid, StartedAt, StoppedAt, LastExit, ExitExpected, SpawnError,
        ProcessDescription.Describe(this, time), Config.Stdout.Path, Config.Stderr.Path);
}
