namespace Taskmaster.Supervision;

/// <summary>
/// What watchers of the engine hear about one process (the API's event stream, the children record): a state change,
/// or a change of its checks or dependency standing while its state stays. Both carry the standing after the change.
/// </summary>
public abstract record ProcessChange(string Name, string Group, int? Pid, DateTimeOffset At, ProcessHealth? Health);

/// <summary>One transition.</summary>
public sealed record ProcessStateChange(string Name, string Group, ProcessState From, ProcessState To, int? Pid, DateTimeOffset At,
    ProcessHealth? Health = null) : ProcessChange(Name, Group, Pid, At, Health);

/// <summary>Readiness or liveness flipped, or a dependency wait began, ended or was refused; <see cref="State"/> did not change.</summary>
public sealed record ProcessHealthChange(string Name, string Group, ProcessState State, int? Pid, DateTimeOffset At,
    ProcessHealth Standing) : ProcessChange(Name, Group, Pid, At, Standing);

