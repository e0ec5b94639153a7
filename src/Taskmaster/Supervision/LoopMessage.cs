
using Taskmaster.Reaping;

namespace Taskmaster.Supervision;

/// <summary>What other threads post to the supervision loop; the loop is the only reader.</summary>
internal abstract record LoopMessage
{
    private LoopMessage() { }

    /// <summary>The exit watcher reaped a child, or an orphan it adopted.</summary>
    public sealed record ChildExited(ChildExit Exit) : LoopMessage;

    /// <summary>The deadline timer fired: look at the clock and fire what is due.</summary>
    public sealed record Wake : LoopMessage
    {
        public static Wake Instance { get; } = new();
    }

    /// <summary>A control command. <paramref name="Work"/> runs on the loop and completes the caller's
    /// TaskCompletionSource it captured (at once, or later through a pending operation).</summary>
    public sealed record Command(string What, Action Work) : LoopMessage;
}
