using Cronos;

namespace Taskmaster.Config;

/// <summary>
/// A cron pattern of <c>cron_restart</c> or <c>cron</c>: five fields (minute first, as crontab and PM2 write it), six
/// (seconds first, as the Go port's robfig/cron and PM2's croner read it) or a macro (<c>@hourly</c>, <c>@daily</c>…).
/// Its occurrences are computed in a time zone (<c>schedule_timezone</c>), daylight saving included: a time that a
/// change skips runs at the jump, one it repeats runs once.
/// </summary>
public sealed record CronSchedule
{
    private CronSchedule(string raw, CronExpression expression)
    {
        Raw = raw;
        Expression = expression;
    }

    /// <summary>The pattern as written (equality, <c>--check</c>).</summary>
    public string Raw { get; }

    internal CronExpression Expression { get; }

    public bool Equals(CronSchedule? other) => other is not null && Raw == other.Raw;
    public override int GetHashCode() => Raw.GetHashCode(StringComparison.Ordinal);

    /// <summary>The first occurrence strictly after <paramref name="after"/>, or null when there is none (Feb 30th).</summary>
    public DateTimeOffset? NextAfter(DateTimeOffset after, TimeZoneInfo zone) =>
        Expression.GetNextOccurrence(after, zone, inclusive: false);

    /// <summary>Reads a pattern; false with the reason (and the 0-based column of the bad field when known).</summary>
    public static bool TryParse(string text, out CronSchedule? value, out string error, out int column)
    {
        value = null;
        error = "";
        column = 0;
        var raw = text.Trim();
        if (raw.Length == 0)
        {
            error = "must not be empty (a cron pattern: 5 fields, 6 with seconds first, or @hourly, @daily…)";
            return false;
        }
        var fields = raw.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (!raw.StartsWith('@') && fields.Length is not (5 or 6))
        {
            error = $"'{raw}' has {fields.Length} fields; a cron pattern has 5 (minute hour day month weekday) or 6 (seconds first)";
            return false;
        }
        try
        {
            var format = fields.Length == 6 ? CronFormat.IncludeSeconds : CronFormat.Standard;
            value = new CronSchedule(raw, CronExpression.Parse(string.Join(' ', fields), format));
            return true;
        }
        catch (CronFormatException e)
        {
            error = $"'{raw}' is not a cron pattern: {e.Message}";
            return false;
        }
    }
}
