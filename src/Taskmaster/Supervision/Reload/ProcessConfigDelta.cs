using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// Which settings of one instance differ between two configurations, split by what a change costs.
/// A setting the child was spawned with (its argv, environment, directory, umask, user, where its output
/// goes, its name as the child sees it) can only change with a new child. Everything the supervisor reads
/// when something happens (an exit, a stop, a deadline, a start order) can change under a live child.
/// </summary>
public static class ProcessConfigDelta
{
    /// <summary>Config keys whose change needs a new child, in a stable order.</summary>
    public static ImmutableArray<string> RestartFields(ProcessConfig old, ProcessConfig next)
    {
        var fields = ImmutableArray.CreateBuilder<string>();
        if (old.Name != next.Name) fields.Add("process_name");
        if (!old.Command.Equals(next.Command)) fields.Add("command");
        if (old.Directory != next.Directory) fields.Add("directory");
        if (old.Umask != next.Umask) fields.Add("umask");
        if (old.User != next.User) fields.Add("user");
        if (!old.Environment.SequenceEqual(next.Environment)) fields.Add("environment");
        if (old.RedirectStderr != next.RedirectStderr) fields.Add("redirect_stderr");
        // The output pipes are wired at spawn time (a file, or /dev/null for NONE): a new path means a new child.
        if (old.Stdout.Path != next.Stdout.Path) fields.Add("stdout_logfile");
        if (old.Stderr.Path != next.Stderr.Path) fields.Add("stderr_logfile");
        return fields.ToImmutable();
    }

    /// <summary>Config keys that can change under a running child, in a stable order.</summary>
    public static ImmutableArray<string> InPlaceFields(ProcessConfig old, ProcessConfig next)
    {
        var fields = ImmutableArray.CreateBuilder<string>();
        if (old.GroupName != next.GroupName) fields.Add("group");
        if (old.Priority != next.Priority) fields.Add("priority");
        if (old.Autostart != next.Autostart) fields.Add("autostart");
        if (old.AutoRestart != next.AutoRestart) fields.Add("autorestart");
        if (!old.ExitCodes.SequenceEqual(next.ExitCodes)) fields.Add("exitcodes");
        if (old.StartRetries != next.StartRetries) fields.Add("startretries");
        if (old.StartSecs != next.StartSecs) fields.Add("startsecs");
        if (old.StopSignal != next.StopSignal) fields.Add("stopsignal");
        if (old.StopWaitSecs != next.StopWaitSecs) fields.Add("stopwaitsecs");
        if (old.StopAsGroup != next.StopAsGroup) fields.Add("stopasgroup");
        if (old.KillAsGroup != next.KillAsGroup) fields.Add("killasgroup");
        if (old.Stdout.MaxBytes != next.Stdout.MaxBytes) fields.Add("stdout_logfile_maxbytes");
        if (old.Stdout.Backups != next.Stdout.Backups) fields.Add("stdout_logfile_backups");
        if (old.Stderr.MaxBytes != next.Stderr.MaxBytes) fields.Add("stderr_logfile_maxbytes");
        if (old.Stderr.Backups != next.Stderr.Backups) fields.Add("stderr_logfile_backups");
        // IsAuto alone (AUTO resolved to the same path as an explicit one) changes nothing observable.
        return fields.ToImmutable();
    }

    /// <summary>Classifies one matched pair of instances.</summary>
    public static InstanceChange Compare(ProcessConfig old, ProcessConfig next)
    {
        var restart = RestartFields(old, next);
        if (!restart.IsEmpty) return new InstanceChange(InstanceChangeKind.Restart, old, next, restart);
        var inPlace = InPlaceFields(old, next);
        return inPlace.IsEmpty
            ? new InstanceChange(InstanceChangeKind.Unchanged, old, next, [])
            : new InstanceChange(InstanceChangeKind.InPlace, old, next, inPlace);
    }
}
