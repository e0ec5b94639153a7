namespace Taskmaster.Config;

/// <summary>The <c>[supervisorctl]</c> / <c>[taskmasterctl]</c> section.</summary>
public sealed record CtlSettings
{
    /// <summary><c>unix:///path</c> or <c>http://host:port</c>; null means the unix socket of the config.</summary>
    public string? ServerUrl { get; init; }
    public string? Username { get; init; }
    public string? Password { get; init; }
    public string Prompt { get; init; } = "taskmaster";
    /// <summary>History file, or null for the default <c>~/.taskmasterctl_history</c>.</summary>
    public string? HistoryFile { get; init; }
}
