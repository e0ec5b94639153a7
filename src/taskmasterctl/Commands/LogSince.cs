using System.Globalization;
using System.Text;
using Taskmaster.Control;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// <c>tail --since WHEN</c>: the lines of a stamped log (<c>log_timestamps</c>) from a time on. WHEN is a date and time
/// (ISO 8601, local unless it names its zone) or a span back from now (<c>90s</c>, <c>10m</c>, <c>2h</c>, <c>1d</c>). A
/// line's time is read from its stamp: ISO 8601 or <c>date time [zone]</c> at the line's start (the <c>true</c> and
/// <c>utc</c> stamps, and any format that starts with <c>%Y-%m-%d %H:%M:%S</c>); a line without one (the rest of a long
/// line) goes with the line before it. The log is in time order, so everything from the first line at or after WHEN on
/// is printed.
/// </summary>
internal static class LogSince
{
    public static bool TryParseWhen(string text, DateTimeOffset now, out DateTimeOffset since)
    {
        since = default;
        var t = text.Trim();
        if (t.Length >= 2 && char.IsAsciiDigit(t[0]) && "smhd".Contains(t[^1], StringComparison.Ordinal)
            && double.TryParse(t[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) && amount >= 0)
        {
            since = now - t[^1] switch
            {
                's' => TimeSpan.FromSeconds(amount),
                'm' => TimeSpan.FromMinutes(amount),
                'h' => TimeSpan.FromHours(amount),
                _ => TimeSpan.FromDays(amount),
            };
            return true;
        }
        return DateTimeOffset.TryParse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal | DateTimeStyles.AllowWhiteSpaces, out since);
    }

    /// <summary>The time stamped at the start of <paramref name="line"/>, or null when it has none this reads.</summary>
    public static DateTimeOffset? StampOf(string line)
    {
        // The stamp is the first one, two or three words: "2026-12-06T05:35:18.123Z", "2026-12-06 05:35:18.123",
        // "2026-12-06 05:35:18.123 +0100". The longest that reads wins (the zone, when there is one).
        DateTimeOffset? found = null;
        var end = 0;
        for (var words = 0; words < 3; words++)
        {
            while (end < line.Length && line[end] == ' ') end++;
            var next = line.IndexOf(' ', end);
            end = next < 0 ? line.Length : next;
            if (words == 0 && (end - 0 < 8 || !char.IsAsciiDigit(line[0]))) return null;
            if (DateTimeOffset.TryParse(line.AsSpan(0, end), CultureInfo.InvariantCulture, DateTimeStyles.AssumeLocal, out var at))
                found = at;
            if (next < 0) break;
        }
        return found;
    }

    /// <summary>Reads the whole log, a megabyte per request, and prints the lines from the first stamped at or after
    /// <paramref name="since"/>.</summary>
    public static async Task ShowAsync(CtlContext ctx, string name, LogStream stream, DateTimeOffset since, CancellationToken ct)
    {
        long offset = 0;
        var carry = new StringBuilder();
        var printing = false;
        var output = new StringBuilder();
        while (true)
        {
            var slice = await ctx.Client.ReadLogAsync(name, stream, offset, FileProcessLogs.MaxReadBytes, ct);
            if (slice.Data.Length == 0 || slice.Offset <= offset) break;
            offset = slice.Offset;
            carry.Append(slice.Data);
            var text = carry.ToString();
            var lastNewline = text.LastIndexOf('\n');
            if (lastNewline < 0) continue;
            Take(text[..(lastNewline + 1)]);
            carry.Clear().Append(text, lastNewline + 1, text.Length - lastNewline - 1);
        }
        if (carry.Length > 0) Take(carry.ToString());
        ctx.Output.Say(output.ToString().TrimEnd('\n'));

        void Take(string lines)
        {
            if (printing)
            {
                output.Append(lines);
                return;
            }
            var at = 0;
            while (at < lines.Length)
            {
                var end = lines.IndexOf('\n', at);
                end = end < 0 ? lines.Length : end + 1;
                if (StampOf(lines[at..end]) is { } stamp && stamp >= since)
                {
                    printing = true;
                    output.Append(lines, at, lines.Length - at);
                    return;
                }
                at = end;
            }
        }
    }
}
