using Taskmaster.Config;

namespace Taskmaster.Supervision.Schedules;

/// <summary>
/// <c>cron_restart</c> and <c>cron</c>: each scheduled process has one deadline in the loop's queue, its next
/// occurrence (<see cref="ManagedProcess.ScheduleAt"/>), so nothing wakes between runs and a daemon without a schedule
/// pays nothing. When it is due the runner starts or restarts the process as its key says and queues the next one.
/// </summary>
/// <remarks>
/// Occurrences are computed from the time of the computation: runs missed while the daemon was down, or while the
/// machine slept, are not caught up (one due run fires at the wake-up, then the next one after it). A wall clock set
/// forward or back between two runs moves the run by as much, since the deadline timer counts elapsed time.
/// </remarks>
internal sealed class ScheduleRunner(
    ISupervisionLoop loop,
    TimeProvider time,
    Action<ManagedProcess> start,
    Action<ManagedProcess> restart)
{
    private int _seenVersion = -1;

    /// <summary>After the directory changed (start, reload, add): arms every process whose schedule is new or changed,
    /// disarms those that lost theirs. One pass over the processes, only when the directory moved.</summary>
    public void Follow(ProcessDirectory directory)
    {
        if (directory.Version == _seenVersion) return;
        _seenVersion = directory.Version;
        foreach (var p in directory.Unordered)
        {
            var schedule = p.Config.CronRestart ?? p.Config.Cron;
            var key = (schedule, p.Config.ScheduleTimezone);
            if (p.ScheduledFor == key) continue;
            p.ScheduledFor = key;
            Arm(p, time.GetUtcNow());
        }
    }

    /// <summary><paramref name="p"/>'s occurrence is due: act, then queue the next.</summary>
    public void Due(ManagedProcess p)
    {
        var now = time.GetUtcNow();
        if (!loop.ShuttingDown) Act(p);
        Arm(p, now);
    }

    private void Act(ManagedProcess p)
    {
        var c = p.Config;
        var state = p.State;
        if (c.CronRestart is { } restartOn)
        {
            switch (state)
            {
                case ProcessState.Starting or ProcessState.Running or ProcessState.Backoff:
                    ScheduleLog.Firing(loop.Logger, "restarting", p.Name, "cron_restart", restartOn.Raw);
                    restart(p);
                    return;
                case ProcessState.Exited or ProcessState.Fatal:
                    ScheduleLog.Firing(loop.Logger, "starting", p.Name, "cron_restart", restartOn.Raw);
                    start(p);
                    return;
                default:
                    ScheduleLog.Skipped(loop.Logger, p.Name, "cron_restart", restartOn.Raw, state.ToString().ToUpperInvariant());
                    return;
            }
        }
        if (c.Cron is { } startOn)
        {
            if (state is ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal && !p.AwaitingDependencies)
            {
                ScheduleLog.Firing(loop.Logger, "starting", p.Name, "cron", startOn.Raw);
                start(p);
            }
            else ScheduleLog.Skipped(loop.Logger, p.Name, "cron", startOn.Raw, p.AwaitingDependencies ? "waiting for its dependencies" : state.ToString().ToUpperInvariant());
        }
    }

    private void Arm(ManagedProcess p, DateTimeOffset after)
    {
        if ((p.Config.CronRestart ?? p.Config.Cron) is not { } schedule)
        {
            if (p.ScheduleAt is not null) p.ScheduleAt = null;
            return;
        }
        var next = schedule.NextAfter(after, ScheduleKeys.ZoneOf(p.Config));
        if (next is null)
            ScheduleLog.NoNextRun(loop.Logger, p.Name, p.Config.CronRestart is not null ? "cron_restart" : "cron", schedule.Raw);
        p.ScheduleAt = next;
    }
}
