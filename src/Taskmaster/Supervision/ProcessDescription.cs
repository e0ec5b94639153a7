using System.Globalization;
using Taskmaster.Supervision.Hooks;

namespace Taskmaster.Supervision;

/// <summary>
/// The third column of <c>status</c>, worded as supervisord's rpcinterface <c>_interpretProcessInfo</c>:
/// "pid 1234, uptime 0:01:02" (Python timedelta form, "1 day, 2:03:04"), the spawn error for
/// BACKOFF/FATAL, the stop time as <c>%b %d %I:%M %p</c> or "Not started" for STOPPED/EXITED, else empty.
/// </summary>
internal static class ProcessDescription
{
    public static string Describe(ManagedProcess p, TimeProvider time) => p.State switch
    {
        _ when p.WaitingFor is { } dependency => $"waiting for {dependency}",
        ProcessState.Stopped or ProcessState.Exited or ProcessState.Fatal when p.DependencyFailure is { } why => $"not started: dependency {why}",
        ProcessState.Starting or ProcessState.Stopping when p.Hook is { Kind: not Hooks.HookKind.PostStop } hook =>
            $"running {hook.Kind.KeyName()} (pid {hook.Pid})",
        ProcessState.Running => $"pid {p.Pid}, uptime {Uptime(p.StartedAt, time.GetUtcNow())}{Health(p)}",
        ProcessState.Starting when p.ReadinessRun is { } ready => ready.LastFailure is { } why ? $"not ready yet: {why}" : "waiting for readiness",
        ProcessState.Backoff or ProcessState.Fatal =>
            string.IsNullOrEmpty(p.SpawnError) ? $"unknown error (try \"tail {p.Name}\")" : p.SpawnError,
        ProcessState.Stopped or ProcessState.Exited => p.StartedAt is null
            ? "Not started"
            : StopTime(p.StoppedAt ?? p.StartedAt.Value, time.LocalTimeZone),
        _ => "",
    };

    /// <summary>What the checks of a RUNNING process say, after its uptime; nothing while all is well.</summary>
    private static string Health(ManagedProcess p)
    {
        var text = "";
        if (p.ReadinessRun is { Passing: false } notReady) text += $", not ready: {notReady.LastFailure}";
        if (p.LivenessRun is { Failures: > 0 } failing)
            text += $", liveness failing ({failing.Failures}/{failing.Config.FailureThreshold}): {failing.LastFailure}";
        if (p.NotifyStatus is { Length: > 0 } status) text += $", {status}";
        return text;
    }

    /// <summary>Whole seconds between whole-second timestamps, as supervisord computes it from gmtime.</summary>
    public static string Uptime(DateTimeOffset? startedAt, DateTimeOffset now)
    {
        if (startedAt is not { } start) return "0:00:00";
        var seconds = now.ToUnixTimeSeconds() - start.ToUnixTimeSeconds();
        if (seconds < 0) seconds = 0; // clock set back
        var span = TimeSpan.FromSeconds(seconds);
        var clock = $"{span.Hours}:{span.Minutes:00}:{span.Seconds:00}";
        return span.Days switch
        {
            0 => clock,
            1 => $"1 day, {clock}",
            var d => $"{d} days, {clock}",
        };
    }

    public static string StopTime(DateTimeOffset at, TimeZoneInfo zone) =>
        TimeZoneInfo.ConvertTime(at, zone).ToString("MMM dd hh:mm tt", CultureInfo.InvariantCulture);
}
