namespace Taskmaster.Bench;

/// <summary>One <c>[program:NAME]</c> section of a generated config.</summary>
internal sealed record ProgramSpec(string Name, string Command)
{
    public bool Autostart { get; init; } = true;
    public string Autorestart { get; init; } = "true";
    public int StartSecs { get; init; }
    public int StopWaitSecs { get; init; } = 10;
    public int StartRetries { get; init; } = 3;
    /// <summary>null keeps supervisord's AUTO (a file in childlogdir).</summary>
    public string? StdoutLogfile { get; init; }
    public string StdoutMaxBytes { get; init; } = "50MB";
    public int StdoutBackups { get; init; } = 10;
    /// <summary>Lines appended to the section as they are (keys only one supervisor knows).</summary>
    public string? ExtraLines { get; init; }
}
