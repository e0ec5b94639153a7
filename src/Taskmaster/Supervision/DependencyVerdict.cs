using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>Where one dependency stands for the process that waits for it.</summary>
internal enum DependencyStanding { Met, Pending, Failed }

/// <summary>
/// Judges one dependency instance against one condition, from its state alone. Failed means for good: no event of
/// its own will make it meet the condition (FATAL; completed without success; itself refused for a failed
/// dependency). Pending means an event may still do it, including an operator's start of a stopped dependency.
/// </summary>
internal static class DependencyVerdict
{
    public static (DependencyStanding Standing, string? Why) Judge(DependencyCondition condition, ManagedProcess d)
    {
        if (d.DependencyFailure is { } refused && !d.AwaitingDependencies && d.State is ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal)
            return (DependencyStanding.Failed, $"{d.Name} was not started ({refused})");
        if (d.State == ProcessState.Fatal)
            return (DependencyStanding.Failed, $"{d.Name} entered FATAL state");
        var settled = d.State == ProcessState.Exited && d.RetryAt is null; // no paced respawn pending
        if (condition == DependencyCondition.CompletedSuccessfully && settled && !d.ExitExpected)
            return (DependencyStanding.Failed, $"{d.Name} completed unsuccessfully ({d.LastExit?.ToString() ?? "no exit status"})");
        var met = condition switch
        {
            // EXITED is only reached from RUNNING: it was started.
            DependencyCondition.Started => d.State is ProcessState.Starting or ProcessState.Running or ProcessState.Stopping or ProcessState.Exited,
            DependencyCondition.Completed or DependencyCondition.CompletedSuccessfully => settled,
            DependencyCondition.Healthy or DependencyCondition.LogReady => d.Healthy,
            _ => d.State == ProcessState.Running,
        };
        return (met ? DependencyStanding.Met : DependencyStanding.Pending, null);
    }
}
