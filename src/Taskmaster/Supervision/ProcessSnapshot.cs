using Taskmaster.Names;
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

/// <summary>What the control plane may know of one process instance at one moment: a copy, never a live object.</summary>
/// <param name="Name">Instance name.</param>
/// <param name="Group">Group name.</param>
/// <param name="State">Current state.</param>
/// <param name="Pid">Pid while a child exists, else null.</param>
/// <param name="StartedAt">When the current (or last) child was spawned.</param>
/// <param name="StoppedAt">When the last child was reaped.</param>
/// <param name="LastExit">How the last child ended.</param>
/// <param name="ExitExpected">Whether that exit was expected (code in exitcodes, from RUNNING).</param>
/// <param name="SpawnError">The last spawn failure's reason, if the last attempt failed.</param>
/// <param name="Description">The text supervisorctl's status shows in its third column.</param>
/// <param name="StdoutLogfile">Path of the stdout log, or null.</param>
/// <param name="StderrLogfile">Path of the stderr log, or null.</param>
/// <param name="LingeringGroup">The process group of the last child while its leader is reaped and what it left is
/// still being waited for (stopped), else null.</param>
public sealed record ProcessSnapshot(
    string Name,
    string Group,
    ProcessState State,
    int? Pid,
    DateTimeOffset? StartedAt,
    DateTimeOffset? StoppedAt,
    ExitStatus? LastExit,
    bool ExitExpected,
    string? SpawnError,
    string Description,
    string? StdoutLogfile,
    string? StderrLogfile,
    int? LingeringGroup = null)
{
    /// <summary>The program's <c>depends_on</c> edges, <c>name:condition</c> each.</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>The dependency a start waits for (<c>db (healthy)</c>), or null.</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Why the last start was refused (a dependency failed for good), or null.</summary>
    public string? DependencyFailure { get; init; }

    /// <summary>The readiness check's verdict on the current child: null without a check or a child.</summary>
    public bool? Ready { get; init; }

    /// <summary>The liveness check's verdict on the current child: null without a check or before RUNNING.</summary>
    public bool? Live { get; init; }

    /// <summary>The next run of the program's <c>cron_restart</c> or <c>cron</c>, or null without one.</summary>
    public DateTimeOffset? NextRun { get; init; }

    /// <summary>The last failure of a check, if the last check failed.</summary>
    public string? HealthFailure { get; init; }

    public string FullName => Namespec.Format(Group, Name);

    /// <summary>Lifetime figures (spawns, failures, states entered, output bytes); see <see cref="ProcessCounts"/>.</summary>
    public ProcessCounts Counts { get; init; } = ProcessCounts.None;
}
