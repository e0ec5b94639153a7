using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// A whole loaded configuration: immutable, validated, every default applied. Two loads of the same
/// text compare equal program by program, which is what reload diffs rely on.
/// </summary>
public sealed record SupervisorConfig
{
    /// <summary>Absolute path of the main file.</summary>
    public required string SourceFile { get; init; }
    public required DaemonSettings Daemon { get; init; }
    public UnixHttpServerSettings? UnixHttpServer { get; init; }
    public InetHttpServerSettings? InetHttpServer { get; init; }
    public CtlSettings Ctl { get; init; } = new();
    public ImmutableArray<ProgramConfig> Programs { get; init; } = [];
    /// <summary>Groups in ascending priority order.</summary>
    public ImmutableArray<GroupConfig> Groups { get; init; } = [];
    /// <summary>Non-fatal findings (unknown keys and sections, unimplemented supervisord keys).</summary>
    public ImmutableArray<ConfigDiagnostic> Warnings { get; init; } = [];

    /// <summary>Every process instance of every group.</summary>
    public IEnumerable<ProcessConfig> AllProcesses => Groups.SelectMany(g => g.Processes);
}
