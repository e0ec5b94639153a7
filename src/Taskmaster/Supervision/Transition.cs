namespace Taskmaster.Supervision;

/// <summary>How a cell of <see cref="TransitionTable"/> handles an event.</summary>
internal enum TransitionKind
{
    /// <summary>Enter <see cref="Transition.Next"/> (possibly the same state) and run the action.</summary>
    Move,
    /// <summary>Nothing happens; the event is stale or cannot concern this state.</summary>
    Ignore,
    /// <summary>The request is refused with <see cref="Transition.Error"/>; nothing happens.</summary>
    Reject,
}

/// <summary>One cell of the state machine: <c>(state, event) → (next state, action)</c>, or ignore, or reject.</summary>
internal readonly record struct Transition(TransitionKind Kind, ProcessState Next, TransitionAction Action, ErrorCode Error)
{
    public static Transition Go(ProcessState next, TransitionAction action) => new(TransitionKind.Move, next, action, default);
    public static Transition Ignore { get; } = new(TransitionKind.Ignore, default, TransitionAction.None, default);
    public static Transition Reject(ErrorCode error) => new(TransitionKind.Reject, default, TransitionAction.None, error);

    public override string ToString() => Kind switch
    {
        TransitionKind.Move => $"{Next.ToString().ToUpperInvariant()} / {Action}",
        TransitionKind.Reject => $"reject {Error}",
        _ => "ignore",
    };
}
