namespace Taskmaster.Supervision;

/// <summary>
/// A control command that completes later than the message that began it (start/stop with wait,
/// shutdown). The loop calls <see cref="TryAdvance"/> after every message until it returns true.
/// </summary>
internal abstract class PendingOperation
{
    /// <summary>Moves the operation on if it can; true once it has completed its caller's task.</summary>
    public abstract bool TryAdvance();

    /// <summary>The loop is going away: fail the caller instead of leaving it waiting forever.</summary>
    public abstract void Abandon();
}
