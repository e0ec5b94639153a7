namespace Taskmaster.Supervision;

/// <summary>One transition, as published to watchers (the API's event stream).</summary>
public sealed record ProcessStateChange(string Name, string Group, ProcessState From, ProcessState To, int? Pid, DateTimeOffset At);
