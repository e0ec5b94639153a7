using System.Collections.Immutable;
using System.Globalization;

namespace Taskmaster.Config;

/// <summary>
/// The restart-trigger keys (issue #20): PM2's <c>max_memory_restart</c>, and a restart (or a signal) when the
/// program's executable or watched files change (the Go port's <c>restart_*</c> keys, PM2's <c>watch</c>,
/// <c>ignore_watch</c>, <c>watch_delay</c>). Each change applies in place: the watches follow the new settings at once,
/// the child is not touched.
/// </summary>
internal static class RestartTriggerKeys
{
    public static readonly ProgramKey<long?> MaxMemoryRestart = new()
    {
        Name = "max_memory_restart", Default = KeyDefault.Unset("none"), Example = "300MB",
        Parse = MemorySize, Format = v => ValueFormat.Plain(v!.Value),
        Get = c => c.MaxMemoryRestart, With = (c, v) => c with { MaxMemoryRestart = v }, Reload = OnReload.InPlace,
        Meaning = "Restart a RUNNING program whose resident memory (its main process's RSS) is above this size (`300M`, `300MB`, `1G`, bytes). Measured every 5 seconds by one read of `/proc/PID/statm` per such program, and only while one runs.",
    };

    public static readonly ProgramKey<bool> RestartWhenBinaryChanged = new()
    {
        Name = "restart_when_binary_changed", Default = "false", Example = "true",
        Parse = ValueParsers.Boolean, Get = c => c.RestartWhenBinaryChanged, With = (c, v) => c with { RestartWhenBinaryChanged = v },
        Reload = OnReload.InPlace,
        Meaning = "The Go port's: restart (or signal) the program when its executable (`command`'s first word, found on PATH) is rewritten or replaced; watched with inotify on its directory.",
    };

    public static readonly ProgramKey<int?> RestartSignalWhenBinaryChanged = new()
    {
        Name = "restart_signal_when_binary_changed", Default = KeyDefault.Unset("none"), Example = "HUP",
        Parse = ValueParsers.Optional<int>(ValueParsers.Signal), Format = v => Posix.Signals.Name(v!.Value),
        Get = c => c.RestartSignalWhenBinaryChanged, With = (c, v) => c with { RestartSignalWhenBinaryChanged = v }, Reload = OnReload.InPlace,
        Meaning = "Send this signal to the running program instead of restarting it when its executable changes.",
    };

    public static readonly ProgramKey<ImmutableArray<string>> RestartDirectoryMonitor = new()
    {
        Name = "restart_directory_monitor", Aliases = ["watch"], Default = KeyDefault.Parsed("", shown: "none"), Example = "/srv/conf",
        ParseIn = WatchPaths, Same = (a, b) => a.SequenceEqual(b), Format = v => string.Join(",", v),
        Get = c => c.RestartDirectoryMonitor, With = (c, v) => c with { RestartDirectoryMonitor = v }, Reload = OnReload.InPlace,
        Meaning = "Directories (comma list, relative to the config file; subdirectories included) whose files restart the program when they change; PM2's `watch = true` watches the program's `directory`. Changes are debounced by `watch_delay`.",
    };

    public static readonly ProgramKey<ImmutableArray<string>> RestartFilePattern = new()
    {
        Name = "restart_file_pattern", Default = "*", Example = "*.conf",
        Parse = Globs, Same = (a, b) => a.SequenceEqual(b), Format = v => string.Join(",", v),
        Get = c => c.RestartFilePattern, With = (c, v) => c with { RestartFilePattern = v }, Reload = OnReload.InPlace,
        Meaning = "Which file names under the watched directories count (globs with `*` and `?`, comma list).",
    };

    public static readonly ProgramKey<ImmutableArray<string>> IgnoreWatch = new()
    {
        Name = "ignore_watch", Default = KeyDefault.Parsed("", shown: "none"), Example = "*.log,node_modules",
        Parse = Globs, Same = (a, b) => a.SequenceEqual(b), Format = v => string.Join(",", v),
        Get = c => c.IgnoreWatch, With = (c, v) => c with { IgnoreWatch = v }, Reload = OnReload.InPlace,
        Meaning = "PM2's: file or directory names under the watched directories that never count (globs, comma list).",
    };

    public static readonly ProgramKey<TimeSpan> WatchDelay = new()
    {
        Name = "watch_delay", Default = "500", Example = "2s",
        Parse = ValueParsers.Duration, Format = v => $"{(long)v.TotalMilliseconds}ms",
        Get = c => c.WatchDelay, With = (c, v) => c with { WatchDelay = v }, Reload = OnReload.InPlace,
        Meaning = "PM2's debounce (milliseconds when unitless): the restart or signal comes this long after the last change of a burst.",
    };

    public static readonly ProgramKey<int?> RestartSignalWhenFileChanged = new()
    {
        Name = "restart_signal_when_file_changed", Default = KeyDefault.Unset("none"), Example = "HUP",
        Parse = ValueParsers.Optional<int>(ValueParsers.Signal), Format = v => Posix.Signals.Name(v!.Value),
        Get = c => c.RestartSignalWhenFileChanged, With = (c, v) => c with { RestartSignalWhenFileChanged = v }, Reload = OnReload.InPlace,
        Meaning = "Send this signal to the running program instead of restarting it when a watched file changes (nginx: `HUP`).",
    };

    /// <summary>The block of the key table, in its order.</summary>
    public static ImmutableArray<ProgramKey> All { get; } =
    [
        MaxMemoryRestart, RestartWhenBinaryChanged, RestartSignalWhenBinaryChanged, RestartDirectoryMonitor, RestartFilePattern,
        IgnoreWatch, WatchDelay, RestartSignalWhenFileChanged,
    ];

    /// <summary><c>watch</c> / <c>restart_directory_monitor</c>: a boolean (PM2: true = the program's directory) or paths.</summary>
    private static bool WatchPaths(string text, InstanceScope at, out ImmutableArray<string> value, out ValueError error)
    {
        value = [];
        error = default;
        var t = text.Trim();
        if (t.Length == 0) return true;
        if (ValueParsers.Boolean(t, out var on, out _))
        {
            if (on) value = [at.Config.Directory ?? at.Here];
            return true;
        }
        var paths = new List<string>();
        foreach (var part in t.Split(','))
        {
            var p = part.Trim();
            if (p.Length == 0) continue;
            paths.Add(System.IO.Path.GetFullPath(System.IO.Path.Combine(at.Here, p)));
        }
        value = [.. paths];
        return true;
    }

    private static bool Globs(string text, out ImmutableArray<string> value, out ValueError error)
    {
        error = default;
        value = [.. text.Split(',').Select(g => g.Trim()).Where(g => g.Length > 0)];
        if (value.Any(g => g.Contains('/')))
        {
            error = new ValueError("globs match one file or directory name: no '/'");
            return false;
        }
        return true;
    }

    /// <summary>PM2's sizes (<c>300M</c>, <c>1G</c>, <c>512K</c>) and ours (<c>300MB</c>); more than zero.</summary>
    private static bool MemorySize(string text, out long? value, out ValueError error)
    {
        value = null;
        var t = text.Trim().ToUpperInvariant();
        var written = t;
        if (t.EndsWith('B') && t.Length > 1 && !char.IsAsciiDigit(t[^2])) t = t[..^1];
        long unit = 1;
        if (t.Length > 0 && t[^1] is 'K' or 'M' or 'G')
        {
            unit = t[^1] switch { 'K' => 1L << 10, 'M' => 1L << 20, _ => 1L << 30 };
            t = t[..^1];
        }
        if (long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 && n <= long.MaxValue / unit)
        {
            value = n * unit;
            error = default;
            return true;
        }
        error = new ValueError($"'{written}' is not a memory size (300M, 300MB, 1G, or bytes; more than zero)");
        return false;
    }
}
