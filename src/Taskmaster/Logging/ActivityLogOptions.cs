using Microsoft.Extensions.Logging;

namespace Taskmaster.Logging;

/// <summary>Where and how the daemon's activity log is written (from <c>[taskmasterd]</c> and the command line).</summary>
public sealed record ActivityLogOptions
{
    /// <summary>The log file (<c>logfile</c>), or null to write only to <see cref="Echo"/>.</summary>
    public string? Path { get; init; }
    /// <summary><c>logfile_maxbytes</c>; 0 never rotates.</summary>
    public long MaxBytes { get; init; } = 50 * 1024 * 1024;
    /// <summary><c>logfile_backups</c>; 0 truncates in place.</summary>
    public int Backups { get; init; } = 10;
    /// <summary>Lines below this level are not written (<c>loglevel</c>, see <see cref="ActivityLogLevels"/>).</summary>
    public LogLevel MinLevel { get; init; } = LogLevel.Information;
    /// <summary>Also write every line here, e.g. <see cref="Console.Error"/> in the foreground (<c>-n</c>).</summary>
    public TextWriter? Echo { get; init; }
    /// <summary>Clock for the timestamps (local time).</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;
    /// <summary>Lines that may wait for the writer; beyond that, new lines are dropped and counted
    /// rather than blocking the supervision loop.</summary>
    public int Capacity { get; init; } = 10_000;
}
