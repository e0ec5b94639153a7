using Taskmaster.Supervision;

namespace Taskmaster.Control;

// The JSON shapes of /api/v1. Plain records, camelCase on the wire (see ControlJsonContext); the
// server maps engine records onto them so the engine's types can evolve without breaking clients.

/// <summary>One process as <c>GET /processes</c> returns it (supervisord's getProcessInfo, JSON-shaped).</summary>
public sealed record ProcessInfo(
    string Name,
    string Group,
    string FullName,
    string State,
    int StateCode,
    int? Pid,
    DateTimeOffset? Start,
    DateTimeOffset? Stop,
    DateTimeOffset Now,
    int? ExitStatus,
    int? ExitSignal,
    bool ExitExpected,
    string? SpawnError,
    string Description,
    string? StdoutLogfile,
    string? StderrLogfile)
{
    /// <summary>The program's <c>depends_on</c> edges, <c>name:condition</c> each (empty without any).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    /// <summary>While a start waits for a dependency: which, and the condition (<c>db (healthy)</c>).</summary>
    public string? WaitingFor { get; init; }

    /// <summary>Why the last start was refused: a dependency that failed for good.</summary>
    public string? DependencyFailure { get; init; }

    /// <summary>The readiness check's verdict on the current child (null: no check, or no child).</summary>
    public bool? Ready { get; init; }

    /// <summary>The liveness check's verdict on the current child (null: no check, or not RUNNING yet).</summary>
    public bool? Live { get; init; }

    /// <summary>Why the last readiness or liveness check failed, while it does.</summary>
    public string? HealthFailure { get; init; }

    /// <summary>The next run of the program's <c>cron_restart</c> or <c>cron</c> (null without one).</summary>
    public DateTimeOffset? NextRun { get; init; }
}

/// <summary>The body of start/stop/restart/clear (<c>wait</c> ignored by clear) and signal (<c>signal</c>).</summary>
public sealed record ProcessCommandRequest
{
    public IReadOnlyList<string>? Names { get; init; }
    public bool? Wait { get; init; }
    /// <summary>For signal: a name (<c>HUP</c>, <c>SIGHUP</c>) or a number as text.</summary>
    public string? Signal { get; init; }
}

/// <summary>What happened to one name; <c>code</c>/<c>error</c> are null on success. With BAD_NAME, <c>unknown</c>
/// says what the name meant: <c>"group"</c> (<c>nosuch:*</c>, supervisorctl's "no such group") or <c>"process"</c>.</summary>
public sealed record ProcessCommandResult(string Name, bool Ok, ErrorCode? Code, string? Error, string? Message, string? Unknown = null)
{
    public const string UnknownGroup = "group";
    public const string UnknownProcess = "process";
}

/// <summary>Results of a per-process operation, one per process matched (or per name that matched nothing).</summary>
public sealed record ProcessCommandResponse(IReadOnlyList<ProcessCommandResult> Results);

/// <summary>What a reread found, by group name.</summary>
public sealed record RereadResponse(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    /// <summary>Daemon-level settings that changed but apply only when taskmasterd restarts, one sentence each.</summary>
    public IReadOnlyList<string> RestartRequired { get; init; } = [];
}

/// <summary>The body of update (groups; empty or absent means all) and add/remove (the same list).</summary>
/// <summary>The body of an action that takes no parameters (reread, reload, shutdown): <c>{}</c>. Actions are only
/// ever taken on a JSON body, so a browser cannot be made to send one from another site.</summary>
public sealed record EmptyRequest;

public sealed record GroupsRequest
{
    public IReadOnlyList<string>? Groups { get; init; }
}

/// <summary>What update/add/remove did to one group.</summary>
public sealed record GroupCommandResult(string Group, string Action, bool Ok, ErrorCode? Code, string? Error, string? Message);

/// <summary>Results of update/add/remove.</summary>
public sealed record GroupCommandResponse(IReadOnlyList<GroupCommandResult> Results);

/// <summary>A slice of a log file. <c>offset</c> is where the next read should start; <c>overflow</c> says
/// bytes were skipped because the requested range was larger than what remains.</summary>
public sealed record LogSliceResponse(string Name, string Stream, long Offset, bool Overflow, string Data);

/// <summary><c>GET /version</c>: the daemon's version, API level and pid (supervisorctl's <c>pid</c> without names).</summary>
public sealed record VersionResponse(string Version, int ApiVersion, int Pid);

/// <summary>An acknowledgement for requests that only start something (reload, shutdown).</summary>
public sealed record AcceptedResponse(string Status);

/// <summary>One configured process for avail/list.</summary>
public sealed record ProgramInfo(
    string Name,
    string Group,
    string Program,
    bool InUse,
    bool Autostart,
    int GroupPriority,
    int ProcessPriority);

/// <summary>
/// A supervisor event as the event stream carries it (SSE <c>event: supervisor</c>, with <c>?type=</c>): what a
/// listener of that type receives. <paramref name="Fields"/> are the payload's <c>key:value</c> words (its first line);
/// <paramref name="Data"/> is the rest of the payload after that line (output, a communication block), or null.
/// </summary>
public sealed record SupervisorEventMessage(
    long? Serial, string Type, string? Name, string? Group, DateTimeOffset At,
    IReadOnlyDictionary<string, string> Fields, string? Data, string Payload)
{
    /// <summary>Reads a payload as supervisor's own parser (childutils) does: words split on spaces, then on the first colon.</summary>
    public static (Dictionary<string, string> Fields, string? Data) Split(string payload)
    {
        var newline = payload.IndexOf('\n');
        var head = newline < 0 ? payload : payload[..newline];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var word in head.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var colon = word.IndexOf(':');
            if (colon > 0) fields[word[..colon]] = word[(colon + 1)..];
        }
        return (fields, newline < 0 ? null : payload[(newline + 1)..]);
    }
}

/// <summary>A state change as the event stream carries it (SSE <c>event: state</c>), with the process's checks and
/// dependency standing after it (as in <see cref="ProcessInfo"/>; null for what it does not have).</summary>
public sealed record StateChangeEvent(string Name, string Group, string FullName, string From, string To, int? Pid, DateTimeOffset At,
    bool? Ready = null, bool? Live = null, string? HealthFailure = null, string? WaitingFor = null, string? DependencyFailure = null);

/// <summary>A change of a process's checks or dependency standing while its state stays (SSE <c>event: health</c>): a
/// readiness or liveness check passed or failed for good, a dependency wait began, ended or was refused.</summary>
public sealed record HealthChangeEvent(string Name, string Group, string FullName, string State, int? Pid, DateTimeOffset At,
    bool? Ready, bool? Live, string? HealthFailure, string? WaitingFor, string? DependencyFailure);
