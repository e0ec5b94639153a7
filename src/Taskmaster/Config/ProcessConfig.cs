using System.Collections.Immutable;
using Taskmaster.Names;

namespace Taskmaster.Config;

/// <summary>
/// One supervised process instance, fully resolved: every expansion done, every default applied.
/// A program with <c>numprocs = 4</c> yields four of these. This is what the engine consumes; it
/// never sees text.
/// </summary>
public sealed record ProcessConfig
{
    /// <summary>Instance name (<c>process_name</c> after expansion), unique within its group.</summary>
    public required string Name { get; init; }
    /// <summary>The group this instance belongs to (the program name unless a <c>[group:x]</c> claims it).</summary>
    public required string GroupName { get; init; }
    /// <summary>The <c>[program:x]</c> / <c>[x]</c> section it came from.</summary>
    public required string ProgramName { get; init; }
    /// <summary><c>process_num</c> of this instance (numprocs_start + index).</summary>
    public required int ProcessNum { get; init; }
    public required CommandLine Command { get; init; }
    /// <summary>Working directory, or null to inherit the daemon's.</summary>
    public string? Directory { get; init; }
    /// <summary>umask, or null to inherit the daemon's.</summary>
    public int? Umask { get; init; }
    /// <summary>User name to run as (only honoured when the daemon is root), or null.</summary>
    public string? User { get; init; }
    /// <summary>Variables added to (or replacing in) the daemon's environment, in file order.</summary>
    public ImmutableArray<KeyValuePair<string, string>> Environment { get; init; } = [];
    public int Priority { get; init; } = 999;
    public bool Autostart { get; init; } = true;
    public AutoRestartPolicy AutoRestart { get; init; } = AutoRestartPolicy.Unexpected;
    public ImmutableArray<int> ExitCodes { get; init; } = [0];
    public int StartRetries { get; init; } = 3;
    /// <summary>Seconds the process must stay up to count as started (<c>startsecs</c>/<c>starttime</c>).</summary>
    public int StartSecs { get; init; } = 1;
    /// <summary>Signal number sent to stop (<c>stopsignal</c>).</summary>
    public int StopSignal { get; init; } = 15;
    /// <summary>Seconds to wait after the stop signal before SIGKILL (<c>stopwaitsecs</c>/<c>stoptime</c>).</summary>
    public int StopWaitSecs { get; init; } = 10;
    public bool StopAsGroup { get; init; } = true;
    public bool KillAsGroup { get; init; } = true;
    public bool RedirectStderr { get; init; }
    public required LogTarget Stdout { get; init; }
    public required LogTarget Stderr { get; init; }

    /// <summary>Where each key's value came from (key → location); keys absent here took their default.</summary>
    public IReadOnlyDictionary<string, SourceLocation> Origins { get; init; } =
        ImmutableDictionary<string, SourceLocation>.Empty;

    /// <summary>
    /// Structural equality over every resolved value, so reload can tell what changed. Lists compare
    /// by content; <see cref="Origins"/> is left out on purpose: moving a section in the file, or
    /// adding a comment above it, must not restart its processes.
    /// </summary>
    public bool Equals(ProcessConfig? other) =>
        other is not null && Name == other.Name && GroupName == other.GroupName && ProgramName == other.ProgramName
        && ProcessNum == other.ProcessNum && Command.Equals(other.Command) && Directory == other.Directory
        && Umask == other.Umask && User == other.User && Environment.SequenceEqual(other.Environment)
        && Priority == other.Priority && Autostart == other.Autostart && AutoRestart == other.AutoRestart
        && ExitCodes.SequenceEqual(other.ExitCodes) && StartRetries == other.StartRetries && StartSecs == other.StartSecs
        && StopSignal == other.StopSignal && StopWaitSecs == other.StopWaitSecs && StopAsGroup == other.StopAsGroup
        && KillAsGroup == other.KillAsGroup && RedirectStderr == other.RedirectStderr
        && Stdout.Equals(other.Stdout) && Stderr.Equals(other.Stderr);

    public override int GetHashCode() => HashCode.Combine(Name, GroupName, ProcessNum, Command, Priority);

    /// <summary><c>group:name</c>, the form supervisorctl prints and accepts.</summary>
    public string FullName => Namespec.Format(GroupName, Name);
}
