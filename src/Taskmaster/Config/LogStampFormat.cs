using System.Collections.Immutable;
using System.Text;

namespace Taskmaster.Config;

/// <summary>
/// How a child log line is stamped (<c>log_timestamps</c>): the text written at the start of each line, then a space.
/// <c>true</c> is ISO 8601 in local time with milliseconds and the UTC offset (<c>2026-12-06T05:35:18.123+01:00</c>);
/// <c>utc</c> the same in UTC (<c>2026-12-06T05:35:18.123Z</c>); otherwise a strftime pattern (<c>%Y %m %d %H %M %S
/// %L</c>=milliseconds <c>%f</c>=microseconds <c>%z %:z %j %y %b %a %e %T %F %s %%</c>), in local time unless it starts
/// with <c>!</c> (UTC, as Lua's os.date reads it), or PM2's <c>log_date_format</c> tokens (day.js: <c>YYYY MM DD HH mm
/// ss SSS Z ZZ</c>, <c>[text]</c> literal).
/// </summary>
/// <remarks>Equal when the pattern and the zone are: the compiled fields follow from them.</remarks>
public sealed class LogStampFormat : IEquatable<LogStampFormat>
{
    public const string IsoLocal = "%Y-%m-%dT%H:%M:%S.%L%:z";
    public const string IsoUtc = "%Y-%m-%dT%H:%M:%S.%LZ";

    private LogStampFormat(string pattern, bool utc, ImmutableArray<StampField> fields)
    {
        Pattern = pattern;
        Utc = utc;
        Fields = fields;
    }

    /// <summary>The strftime pattern (a day.js one is translated), without the <c>!</c>.</summary>
    public string Pattern { get; }

    /// <summary>True: the time is written in UTC; false: in the daemon's local time zone.</summary>
    public bool Utc { get; }

    /// <summary>The pattern, compiled: what the stamper writes, in order.</summary>
    public ImmutableArray<StampField> Fields { get; }

    /// <summary>The longest stamp in bytes, the separating space included.</summary>
    public int MaxBytes => 1 + Fields.Sum(f => f.Kind == StampFieldKind.Literal ? f.Literal.Length : 24);

    public static LogStampFormat Default { get; } = Compile(IsoLocal, utc: false, out _, out _)!;

    /// <summary>A stream's own "no stamps" (<c>stderr_log_timestamps = false</c>) under <c>log_timestamps = true</c>.</summary>
    public static LogStampFormat Off { get; } = new("", utc: false, []);

    public bool IsOff => Fields.IsEmpty;
    public static LogStampFormat UtcDefault { get; } = Compile(IsoUtc, utc: true, out _, out _)!;

    /// <summary>Reads a key's value: null for off (a false boolean), a format otherwise.</summary>
    internal static bool TryParse(string text, out LogStampFormat? value, out ValueError error)
    {
        error = default;
        value = null;
        var t = text.Trim();
        switch (t.ToLowerInvariant())
        {
            case "false" or "no" or "off" or "0": return true;
            case "true" or "yes" or "on" or "1" or "local" or "iso": value = Default; return true;
            case "utc": value = UtcDefault; return true;
            case "": error = new ValueError("must not be empty (true, false, utc or a format such as %Y-%m-%d %H:%M:%S.%L)"); return false;
        }
        var utc = t.StartsWith('!');
        var pattern = utc ? t[1..] : t;
        var shift = text.Length - text.TrimStart().Length + (utc ? 1 : 0);
        if (!pattern.Contains('%'))
        {
            if (!DayJs.TryTranslate(pattern, out var translated, out var message, out var at))
            {
                error = new ValueError(message, shift + at);
                return false;
            }
            pattern = translated;
        }
        value = Compile(pattern, utc, out var problem, out var offset);
        if (value is null) error = new ValueError(problem!, shift + offset);
        return value is not null;
    }

    /// <summary>A stream's key: as <see cref="TryParse"/>, with "false" read as <see cref="Off"/> (not as unset).</summary>
    internal static bool TryParseStream(string text, out LogStampFormat? value, out ValueError error)
    {
        if (!TryParse(text, out value, out error)) return false;
        value ??= Off;
        return true;
    }

    /// <summary>How <c>--check</c> shows it: <c>true</c>, <c>utc</c> or the pattern.</summary>
    public override string ToString() =>
        IsOff ? "false" : Equals(Default) ? "true" : Equals(UtcDefault) ? "utc" : (Utc ? "!" : "") + Pattern;

    public bool Equals(LogStampFormat? other) => other is not null && other.Pattern == Pattern && other.Utc == Utc;
    public override bool Equals(object? obj) => Equals(obj as LogStampFormat);
    public override int GetHashCode() => HashCode.Combine(Pattern, Utc);

    private static LogStampFormat? Compile(string pattern, bool utc, out string? problem, out int offset)
    {
        problem = null;
        offset = 0;
        var fields = ImmutableArray.CreateBuilder<StampField>();
        var literal = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] != '%')
            {
                literal.Append(pattern[i]);
                continue;
            }
            if (i + 1 >= pattern.Length)
            {
                (problem, offset) = ("'%' at the end of the format (write %% for a percent sign)", i);
                return null;
            }
            var spec = pattern[++i];
            if (spec == ':' && i + 1 < pattern.Length && pattern[i + 1] == 'z')
            {
                i++;
                Add(StampFieldKind.OffsetColon);
                continue;
            }
            StampFieldKind? kind = spec switch
            {
                'Y' => StampFieldKind.Year, 'y' => StampFieldKind.Year2, 'm' => StampFieldKind.Month, 'd' => StampFieldKind.Day,
                'e' => StampFieldKind.DaySpace, 'H' => StampFieldKind.Hour, 'I' => StampFieldKind.Hour12, 'M' => StampFieldKind.Minute,
                'S' => StampFieldKind.Second, 'L' => StampFieldKind.Millisecond, 'f' => StampFieldKind.Microsecond,
                'z' => StampFieldKind.Offset, 'j' => StampFieldKind.DayOfYear, 'b' => StampFieldKind.MonthName,
                'a' => StampFieldKind.DayName, 'p' => StampFieldKind.AmPm, 's' => StampFieldKind.UnixSeconds,
                _ => null,
            };
            switch (spec)
            {
                case '%': literal.Append('%'); continue;
                case 'T': Add(StampFieldKind.Hour); literal.Append(':'); Add(StampFieldKind.Minute); literal.Append(':'); Add(StampFieldKind.Second); continue;
                case 'F': Add(StampFieldKind.Year); literal.Append('-'); Add(StampFieldKind.Month); literal.Append('-'); Add(StampFieldKind.Day); continue;
            }
            if (kind is null)
            {
                (problem, offset) = ($"unknown field %{spec} (known: %Y %y %m %d %e %H %I %M %S %L %f %z %:z %j %b %a %p %s %T %F %%)", i - 1);
                return null;
            }
            Add(kind.Value);
        }
        Flush();
        if (!fields.Any(f => f.Kind != StampFieldKind.Literal))
        {
            (problem, offset) = ("a format needs at least one time field, such as %H:%M:%S", 0);
            return null;
        }
        return new LogStampFormat(pattern, utc, fields.ToImmutable());

        void Add(StampFieldKind k)
        {
            Flush();
            fields.Add(new StampField(k, []));
        }

        void Flush()
        {
            if (literal.Length == 0) return;
            fields.Add(new StampField(StampFieldKind.Literal, [.. Encoding.UTF8.GetBytes(literal.ToString())]));
            literal.Clear();
        }
    }

    /// <summary>PM2's <c>log_date_format</c> (day.js tokens) as a strftime pattern.</summary>
    private static class DayJs
    {
        private static readonly (string Token, string Strftime)[] Tokens =
        [
            ("YYYY", "%Y"), ("YY", "%y"), ("MMM", "%b"), ("MM", "%m"), ("DDDD", "%j"), ("DD", "%d"), ("ddd", "%a"),
            ("HH", "%H"), ("hh", "%I"), ("mm", "%M"), ("ss", "%S"), ("SSS", "%L"), ("ZZ", "%z"), ("Z", "%:z"), ("A", "%p"), ("X", "%s"),
        ];

        public static bool TryTranslate(string pattern, out string strftime, out string message, out int at)
        {
            var sb = new StringBuilder();
            message = "";
            at = 0;
            for (var i = 0; i < pattern.Length;)
            {
                if (pattern[i] == '[')
                {
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0)
                    {
                        (strftime, message, at) = ("", "'[' without its ']'", i);
                        return false;
                    }
                    sb.Append(pattern.AsSpan(i + 1, close - i - 1));
                    i = close + 1;
                    continue;
                }
                var matched = false;
                foreach (var (token, s) in Tokens)
                {
                    if (string.CompareOrdinal(pattern, i, token, 0, token.Length) != 0) continue;
                    sb.Append(s);
                    i += token.Length;
                    matched = true;
                    break;
                }
                if (matched) continue;
                if (char.IsAsciiLetter(pattern[i]))
                {
                    (strftime, message, at) = ("", $"'{pattern[i]}' is not a field this reads (day.js: YYYY YY MMM MM DD DDDD ddd HH hh mm ss SSS Z ZZ A X, [literal]; or a strftime format with %)", i);
                    return false;
                }
                sb.Append(pattern[i]);
                i++;
            }
            strftime = sb.ToString();
            return true;
        }
    }
}

/// <summary>What a stamp field writes.</summary>
public enum StampFieldKind
{
    Literal, Year, Year2, Month, Day, DaySpace, Hour, Hour12, Minute, Second, Millisecond, Microsecond,
    Offset, OffsetColon, DayOfYear, MonthName, DayName, AmPm, UnixSeconds,
}

/// <summary>One field of a compiled stamp: a time part, or literal bytes.</summary>
public readonly record struct StampField(StampFieldKind Kind, ImmutableArray<byte> Literal);
