using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// The schedule keys (issue #20): PM2's <c>cron_restart</c> (restart on the pattern) and the Go port's <c>cron</c> (start
/// on the pattern if not running, for batch jobs), with the time zone they are read in. Each change applies in place:
/// the next run is computed again from the time of the reload; the child is not touched.
/// </summary>
internal static class ScheduleKeys
{
    public static readonly ProgramKey<CronSchedule?> CronRestart = new()
    {
        Name = "cron_restart", Default = KeyDefault.Unset("none"), Example = "0 3 * * *",
        Parse = Pattern, Format = v => v!.Raw,
        Get = c => c.CronRestart, With = (c, v) => c with { CronRestart = v }, Reload = OnReload.InPlace,
        Meaning = "Restart on this cron pattern (5 fields, 6 with seconds first, or `@daily`…): a running program (STARTING, RUNNING, BACKOFF) is stopped and started, one that ended on its own (EXITED, FATAL) is started; one STOPPED by an operator is left alone. The next run shows in the JSON status (`nextRun`).",
    };

    public static readonly ProgramKey<CronSchedule?> Cron = new()
    {
        Name = "cron", Default = KeyDefault.Unset("none"), Example = "*/30 * * * * *",
        Parse = Pattern, Format = v => v!.Raw,
        Get = c => c.Cron, With = (c, v) => c with { Cron = v }, Reload = OnReload.InPlace,
        Check = c => c.Cron is not null && c.CronRestart is not null
            ? "cron and cron_restart cannot both be set (cron starts a stopped program, cron_restart restarts a running one)"
            : null,
        Meaning = "The Go port's schedule: on this cron pattern, start the program if it is not running (STOPPED, EXITED, FATAL); a running one is left alone. For batch jobs, with `autostart = false`.",
    };

    public static readonly ProgramKey<string?> ScheduleTimezone = new()
    {
        Name = "schedule_timezone", Default = KeyDefault.Unset("the daemon's local time"), Example = "Europe/Paris",
        Parse = Zone, Get = c => c.ScheduleTimezone, With = (c, v) => c with { ScheduleTimezone = v }, Reload = OnReload.InPlace,
        Meaning = "IANA time zone the cron patterns are read in (`UTC`, `America/New_York`); daylight saving changes are followed.",
    };

    /// <summary>The block of the key table, in its order.</summary>
    public static ImmutableArray<ProgramKey> All { get; } = [CronRestart, Cron, ScheduleTimezone];

    /// <summary>The zone a process's patterns are read in.</summary>
    public static TimeZoneInfo ZoneOf(ProcessConfig c) =>
        c.ScheduleTimezone is { } id && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Local;

    private static bool Pattern(string text, out CronSchedule? value, out ValueError error)
    {
        if (CronSchedule.TryParse(text, out value, out var message, out var column))
        {
            error = default;
            return true;
        }
        error = new ValueError(message, column);
        return false;
    }

    private static bool Zone(string text, out string? value, out ValueError error)
    {
        error = default;
        value = text.Trim();
        if (value.Length == 0)
        {
            error = new ValueError("must not be empty (an IANA time zone such as UTC or Europe/Paris)");
            return false;
        }
        if (TimeZoneInfo.TryFindSystemTimeZoneById(value, out _)) return true;
        error = new ValueError($"unknown time zone '{value}' (an IANA name such as UTC or Europe/Paris, as in /usr/share/zoneinfo)");
        return false;
    }
}
