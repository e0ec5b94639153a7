namespace Taskmaster.Supervision.Hooks;

/// <summary>One hook run of one process, from its spawn to its reap. Loop thread only.</summary>
internal sealed class HookRun(HookKind kind, int pid, OutputTail output)
{
    public HookKind Kind { get; } = kind;
    public int Pid { get; } = pid;
    public OutputTail Output { get; } = output;

    /// <summary><c>hook_timeout</c> passed and the hook's group was sent SIGKILL.</summary>
    public bool TimedOut { get; set; }

    /// <summary>The process no longer waits for it (a stop came during a pre-start hook): killed, its end changes
    /// nothing but the next hook's or spawn's turn.</summary>
    public bool Cancelled { get; set; }
}
