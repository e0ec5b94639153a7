namespace Taskmaster.Supervision;

/// <summary>What a reread found, per group, as supervisorctl's <c>reread</c> reports it.</summary>
public sealed record ConfigChanges(IReadOnlyList<string> Added, IReadOnlyList<string> Changed, IReadOnlyList<string> Removed)
{
    public bool IsEmpty => Added.Count == 0 && Changed.Count == 0 && Removed.Count == 0;
}

/// <summary>A reread: either the changes, or the configuration errors (file:line:col lines) that prevented it.</summary>
public sealed record RereadResult(ConfigChanges? Changes, IReadOnlyList<string> Errors)
{
    /// <summary>Daemon-level settings that changed in the file but only apply when taskmasterd itself restarts
    /// (its own section, the control servers), one sentence each: "[unix_http_server] file changed; needs a
    /// restart of taskmasterd".</summary>
    public IReadOnlyList<string> RestartRequired { get; init; } = [];
}

/// <summary>What <c>update</c>/<c>add</c>/<c>remove</c> did to one group (<paramref name="Change"/>), or, with
/// <paramref name="Error"/>, what it could not do.</summary>
public sealed record GroupUpdateResult(string Group, GroupChange Change, ErrorCode? Error = null, string? Message = null);
