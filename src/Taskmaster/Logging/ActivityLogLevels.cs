using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;

namespace Taskmaster.Logging;

/// <summary>
/// supervisord's level vocabulary: the <c>loglevel</c> names of the config file and the four-letter
/// tags of its log lines (CRIT, ERRO, WARN, INFO, DEBG, TRAC, BLAT), mapped onto <see cref="LogLevel"/>.
/// </summary>
public static class ActivityLogLevels
{
    /// <summary>The names <c>loglevel</c> accepts, most severe first.</summary>
    public static IReadOnlyList<string> Names { get; } = ["critical", "error", "warn", "info", "debug", "trace", "blather"];

    /// <summary>Maps a <c>loglevel</c> name (case-insensitive; <c>warning</c> too) to a minimum level.
    /// <c>trace</c> and <c>blather</c> both mean everything.</summary>
    public static bool TryParse(string? name, [NotNullWhen(true)] out LogLevel? level)
    {
        level = name?.Trim().ToLowerInvariant() switch
        {
            "critical" => LogLevel.Critical,
            "error" => LogLevel.Error,
            "warn" or "warning" => LogLevel.Warning,
            "info" => LogLevel.Information,
            "debug" => LogLevel.Debug,
            "trace" or "blather" => LogLevel.Trace,
            _ => null,
        };
        return level is not null;
    }

    /// <summary>The tag written in a log line for <paramref name="level"/>.</summary>
    public static string Tag(LogLevel level) => level switch
    {
        LogLevel.Critical => "CRIT",
        LogLevel.Error => "ERRO",
        LogLevel.Warning => "WARN",
        LogLevel.Information => "INFO",
        LogLevel.Debug => "DEBG",
        _ => "TRAC",
    };
}
