using System.Collections.Immutable;
using System.Globalization;
using Taskmaster.Posix;

namespace Taskmaster.Config;

/// <summary>Turns an expanded value into a typed one, or says what is wrong and where.</summary>
internal delegate bool ValueParser<T>(string text, out T value, out ValueError error);

/// <summary>
/// The value forms supervisord accepts (booleans, sizes, octal umasks, exit-code lists, signals,
/// autorestart policies), each with a message that says what would have been accepted.
/// </summary>
internal static class ValueParsers
{
    public static bool Boolean(string text, out bool value, out ValueError error)
    {
        error = default;
        switch (text.Trim().ToLowerInvariant())
        {
            case "true" or "yes" or "on" or "1": value = true; return true;
            case "false" or "no" or "off" or "0": value = false; return true;
            default:
                value = false;
                error = new ValueError($"'{text}' is not a boolean (true/false, yes/no, on/off, 1/0)");
                return false;
        }
    }

    /// <summary>The most rotated logs a file may keep: each rotation renames every backup, and <c>clear</c> deletes them.</summary>
    public const int MaxLogBackups = 1000;

    public static ValueParser<int> Integer(int min, int max = int.MaxValue) =>
        (string text, out int value, out ValueError error) =>
        {
            error = default;
            if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value))
            {
                error = new ValueError($"'{text}' is not a whole number");
                return false;
            }
            if (value < min || value > max)
            {
                error = new ValueError(max == int.MaxValue
                    ? $"{value} is out of range (must be {min} or more)"
                    : $"{value} is out of range ({min}..{max})");
                return false;
            }
            return true;
        };

    public static bool ByteSize(string text, out long value, out ValueError error)
    {
        error = default;
        value = 0;
        var t = text.Trim();
        long multiplier = 1;
        var lower = t.ToLowerInvariant();
        if (lower.EndsWith("kb", StringComparison.Ordinal)) multiplier = 1024;
        else if (lower.EndsWith("mb", StringComparison.Ordinal)) multiplier = 1024 * 1024;
        else if (lower.EndsWith("gb", StringComparison.Ordinal)) multiplier = 1024L * 1024 * 1024;
        var digits = multiplier == 1 ? t : t[..^2];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > long.MaxValue / multiplier)
        {
            error = new ValueError($"'{text}' is not a size (bytes, or a number followed by KB, MB or GB)");
            return false;
        }
        value = n * multiplier;
        return true;
    }

    public static bool Octal(string text, out int value, out ValueError error)
    {
        error = default;
        value = 0;
        var t = text.Trim();
        if (t.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) t = t[2..];
        if (t.Length == 0 || t.Length > 11 || !t.All(c => c is >= '0' and <= '7'))
        {
            error = new ValueError($"'{text}' is not an octal number such as 022");
            return false;
        }
        foreach (var c in t) value = value * 8 + (c - '0');
        if (value > 0x1FF)
        {
            error = new ValueError($"'{text}' is out of range (at most 777)");
            return false;
        }
        return true;
    }

    public static bool ExitCodes(string text, out ImmutableArray<int> value, out ValueError error)
    {
        error = default;
        value = [];
        var codes = ImmutableArray.CreateBuilder<int>();
        var offset = 0;
        foreach (var part in text.Split(','))
        {
            var item = part.Trim();
            var at = offset + (part.Length - part.TrimStart().Length);
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code > 255)
            {
                error = new ValueError(item.Length == 0
                    ? "empty exit code in the list (expected e.g. 0,2)"
                    : $"'{item}' is not an exit code (0..255)", at);
                return false;
            }
            codes.Add(code);
            offset += part.Length + 1;
        }
        value = codes.ToImmutable();
        return true;
    }

    public static bool Signal(string text, out int value, out ValueError error)
    {
        error = default;
        if (Signals.TryParse(text, out value)) return true;
        error = new ValueError($"'{text}' is not a signal (a name such as TERM or SIGTERM, or a number 1..{Signals.Max})");
        return false;
    }

    public static bool AutoRestart(string text, out AutoRestartPolicy value, out ValueError error)
    {
        error = default;
        value = AutoRestartPolicy.Unexpected;
        if (text.Trim().Equals("unexpected", StringComparison.OrdinalIgnoreCase)) return true;
        if (Boolean(text, out var b, out _))
        {
            value = b ? AutoRestartPolicy.Always : AutoRestartPolicy.Never;
            return true;
        }
        error = new ValueError($"'{text}' is not an autorestart policy (true, false or unexpected)");
        return false;
    }

    /// <summary><c>exit_on</c>: <c>never</c>, <c>fatal</c>, <c>unexpected</c>, <c>any</c>; its alias <c>essential</c> is a
    /// boolean (true = <c>any</c>, as a container orchestrator's essential container: its end ends the task).</summary>
    public static bool ExitOn(string text, out ExitOnPolicy value, out ValueError error)
    {
        error = default;
        value = ExitOnPolicy.Never;
        switch (text.Trim().ToLowerInvariant())
        {
            case "never": return true;
            case "fatal": value = ExitOnPolicy.Fatal; return true;
            case "unexpected": value = ExitOnPolicy.Unexpected; return true;
            case "any": value = ExitOnPolicy.Any; return true;
        }
        if (Boolean(text, out var essential, out _))
        {
            value = essential ? ExitOnPolicy.Any : ExitOnPolicy.Never;
            return true;
        }
        error = new ValueError($"'{text}' is not an exit_on policy (never, fatal, unexpected, any; or true/false)");
        return false;
    }

    private static readonly string[] LogLevels = ["critical", "error", "warn", "info", "debug", "trace", "blather"];

    public static bool LogLevel(string text, out string value, out ValueError error)
    {
        error = default;
        value = text.Trim().ToLowerInvariant();
        if (value == "warning") value = "warn";
        if (LogLevels.Contains(value)) return true;
        error = new ValueError($"'{text}' is not a log level ({string.Join(", ", LogLevels)})");
        return false;
    }

    /// <summary>A non-empty string, trimmed.</summary>
    public static bool NonEmpty(string text, out string value, out ValueError error)
    {
        error = default;
        value = text.Trim();
        if (value.Length > 0) return true;
        error = new ValueError("must not be empty");
        return false;
    }

    /// <summary><see cref="NonEmpty"/> for a setting whose absence is null.</summary>
    public static bool NonEmptyOrNull(string text, out string? value, out ValueError error)
    {
        var ok = NonEmpty(text, out var v, out error);
        value = ok ? v : null;
        return ok;
    }

    /// <summary>A path, made absolute against <paramref name="here"/> (the directory of the file that holds it).</summary>
    public static bool Path(string here, string text, out string value, out ValueError error)
    {
        value = "";
        if (!NonEmpty(text, out var trimmed, out error)) return false;
        value = System.IO.Path.GetFullPath(System.IO.Path.Combine(here, trimmed));
        return true;
    }

    /// <summary><paramref name="parser"/> for a setting whose absence is null.</summary>
    /// <summary>A duration as PM2 writes one: <c>500</c> (milliseconds when unitless), <c>500ms</c>, <c>2s</c>, <c>1m</c>;
    /// at most a day.</summary>
    public static bool Duration(string text, out TimeSpan value, out ValueError error)
    {
        value = default;
        error = default;
        var t = text.Trim().ToLowerInvariant();
        var (digits, unit) = t.EndsWith("ms", StringComparison.Ordinal) ? (t[..^2], 1L)
            : t.EndsWith('s') ? (t[..^1], 1000L)
            : t.EndsWith('m') ? (t[..^1], 60_000L)
            : (t, 1L);
        if (!long.TryParse(digits.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n > 86_400_000 / unit)
        {
            error = new ValueError($"'{text}' is not a duration (milliseconds, or a number with ms, s or m; at most a day)");
            return false;
        }
        value = TimeSpan.FromMilliseconds(n * unit);
        return true;
    }

    /// <summary>A duration in seconds when unitless (the Go port's check keys), or with ms, s or m.</summary>
    public static bool Seconds(string text, out TimeSpan value, out ValueError error)
    {
        var t = text.Trim();
        var unitless = t.Length > 0 && char.IsAsciiDigit(t[^1]);
        return Duration(unitless ? t + "s" : t, out value, out error);
    }

    /// <summary><see cref="Seconds"/>, more than zero.</summary>
    public static bool PositiveSeconds(string text, out TimeSpan value, out ValueError error)
    {
        if (!Seconds(text, out value, out error)) return false;
        if (value > TimeSpan.Zero) return true;
        error = new ValueError($"'{text}' must be more than zero");
        return false;
    }

    public static ValueParser<T?> Optional<T>(ValueParser<T> parser) where T : struct =>
        (string text, out T? value, out ValueError error) =>
        {
            var ok = parser(text, out var v, out error);
            value = ok ? v : null;
            return ok;
        };

    /// <summary><c>port=</c> of <c>[inet_http_server]</c>: <c>host:port</c> or a bare port.</summary>
    public static bool HostPort(string text, out (string Host, int Port) value, out ValueError error)
    {
        error = default;
        value = ("", 0);
        var t = text.Trim();
        var colon = t.LastIndexOf(':');
        var host = colon < 0 ? "" : t[..colon];
        var portText = colon < 0 ? t : t[(colon + 1)..];
        if (host.StartsWith('[') && host.EndsWith(']')) host = host[1..^1];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = new ValueError($"'{text}' is not a port (host:port or port, port 1..65535)", colon < 0 ? 0 : colon + 1);
            return false;
        }
        value = (host, port);
        return true;
    }

    /// <summary><c>allowed_hosts</c>: host names separated by commas (or spaces), lower-cased; <c>*</c> alone means any.
    /// A name carries no port, path or spaces; an IPv6 literal may keep its brackets.</summary>
    public static bool HostNames(string text, out ImmutableArray<string> value, out ValueError error)
    {
        error = default;
        value = [];
        var names = ImmutableArray.CreateBuilder<string>();
        var at = 0;
        foreach (var part in text.Split([',', ' ', '\t']))
        {
            var name = part.Trim().ToLowerInvariant();
            if (name.Length > 0)
            {
                var bare = name.StartsWith('[') && name.EndsWith(']') ? name[1..^1] : name;
                var bad = bare == "*" ? -1 : bare.IndexOfAny(['/', '@', '?', '#', '\\', '[', ']']);
                if (bad < 0 && bare.Contains(':') && !System.Net.IPAddress.TryParse(bare, out _)) bad = bare.IndexOf(':');
                if (bad >= 0)
                {
                    error = new ValueError($"'{part.Trim()}' is not a host name (no port, path or user: just the name)", at);
                    return false;
                }
                names.Add(bare);
            }
            at += part.Length + 1;
        }
        value = names.ToImmutable();
        return true;
    }

    /// <summary>A process or group name: no spaces, ':' or '/' (they would break names such as group:name), and no
    /// '..' (names become parts of log file names and URLs; a dot-dot there could climb out of a directory).</summary>
    public static bool Name(string text, out string value, out ValueError error)
    {
        error = default;
        value = text.Trim();
        if (value.Length == 0) { error = new ValueError("name must not be empty"); return false; }
        var bad = value.IndexOfAny([' ', '\t', '\n', ':', '/']);
        if (bad < 0) bad = value.IndexOf("..", StringComparison.Ordinal);
        if (bad < 0) return true;
        if (value[bad] == '.') { error = new ValueError($"invalid name '{value}': it must not contain '..'", bad); return false; }
        error = new ValueError($"invalid name '{value}': it must not contain '{(value[bad] == '\n' ? "\\n" : value[bad].ToString())}'", bad);
        return false;
    }
}
