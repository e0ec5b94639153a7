using Taskmaster.Names;

namespace Taskmaster.Supervision;

/// <summary>The result of an operation on one process (or on one name that matched nothing).</summary>
/// <param name="Name">The full name (<c>group:name</c>, or the name as given when it matched nothing).</param>
/// <param name="Error">Null on success.</param>
/// <param name="Message">Detail for errors (e.g. the spawn error), or null.</param>
public sealed record OperationResult(string Name, ErrorCode? Error = null, string? Message = null)
{
    public bool Ok => Error is null;

    /// <summary>For <see cref="ErrorCode.BadName"/>: whether the unknown name meant a group (<c>group:*</c>, answered
    /// "no such group") or a process ("no such process"); null otherwise.</summary>
    public NameScope? Unknown { get; init; }

    /// <summary>The answer to a name that selected nothing it should, its scope read by the <see cref="Namespec"/>
    /// rule: <c>nosuch:*</c> is an unknown group; <c>nosuch</c>, <c>web:nosuch</c> and, with numprocs, a bare
    /// <c>web</c> are unknown processes.</summary>
    public static OperationResult NoSuchName(string name) => new(name, ErrorCode.BadName)
    {
        Unknown = Namespec.Parse(name).Scope == NameScope.Group ? NameScope.Group : NameScope.Process,
    };
}
