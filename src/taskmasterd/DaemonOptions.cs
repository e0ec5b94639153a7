namespace Taskmaster.Daemon;

/// <summary>What the command line asked for; null means "as the configuration says".</summary>
internal sealed record DaemonOptions
{
    public string? ConfigPath { get; init; }
    public bool Nodaemon { get; init; }
    public bool Check { get; init; }
    public string? Logfile { get; init; }
    public string? LogLevel { get; init; }
    public string? Pidfile { get; init; }
    public string? Directory { get; init; }
    public string? User { get; init; }
}
