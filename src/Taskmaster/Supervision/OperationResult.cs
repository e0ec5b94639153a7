namespace Taskmaster.Supervision;

/// <summary>The result of an operation on one process (or on one name that matched nothing).</summary>
/// <param name="Name">The full name (<c>group:name</c>, or the bare name as given when it matched nothing).</param>
/// <param name="Error">Null on success.</param>
/// <param name="Message">Detail for errors (e.g. the spawn error), or null.</param>
public sealed record OperationResult(string Name, ErrorCode? Error = null, string? Message = null)
{
    public bool Ok => Error is null;
}
