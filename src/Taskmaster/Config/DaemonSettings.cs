using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>The <c>[supervisord]</c> / <c>[taskmasterd]</c> section, defaults applied.</summary>
public sealed record DaemonSettings
{
    /// <summary>Activity log path (default <c>taskmasterd.log</c> next to the config file).</summary>
    public required string Logfile { get; init; }
    public long LogfileMaxBytes { get; init; } = 50 * 1024 * 1024;
    public int LogfileBackups { get; init; } = 10;
    /// <summary>critical, error, warn, info, debug, trace, blather.</summary>
    public string LogLevel { get; init; } = "info";
    public required string Pidfile { get; init; }
    public bool Nodaemon { get; init; }
    public int Umask { get; init; } = 0x12; // 022
    public string? User { get; init; }
    public string? Directory { get; init; }
    /// <summary>Where AUTO child logs go (default: the system temp directory).</summary>
    public required string ChildLogDir { get; init; }
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];
    public int MinFds { get; init; } = 1024;
    public int MinProcs { get; init; } = 200;
    public string Identifier { get; init; } = "taskmaster";
    /// <summary>Keep the AUTO logs of earlier runs at start (<c>nocleanup</c>).</summary>
    public bool NoCleanup { get; init; }

    /// <summary>By content (records alone would compare <see cref="Environment"/> by reference).</summary>
    public bool Equals(DaemonSettings? other) =>
        other is not null && Logfile == other.Logfile && LogfileMaxBytes == other.LogfileMaxBytes
        && LogfileBackups == other.LogfileBackups && LogLevel == other.LogLevel && Pidfile == other.Pidfile
        && Nodaemon == other.Nodaemon && Umask == other.Umask && User == other.User && Directory == other.Directory
        && ChildLogDir == other.ChildLogDir && Environment.SequenceEqual(other.Environment) && MinFds == other.MinFds
        && MinProcs == other.MinProcs && Identifier == other.Identifier && NoCleanup == other.NoCleanup;

    public override int GetHashCode() => HashCode.Combine(Logfile, Pidfile, ChildLogDir, LogLevel);
}
