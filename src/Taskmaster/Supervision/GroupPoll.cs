namespace Taskmaster.Supervision;

/// <summary>
/// When the engine looks again whether a lingering process group is empty, where no event would tell it.
/// </summary>
/// <remarks>
/// The daemon is the child subreaper of its programs: once a leader is reaped, what is left of its group are our
/// adopted children (or their descendants, adopted in turn when their parent dies), each watched by a pidfd, so the
/// exit of the last one is an event and nothing is polled. Two cases have no event: a host that is not the subreaper
/// (the test host, which must not adopt the children of System.Diagnostics.Process), where leftovers belong to init;
/// and, after a SIGKILL, a member whose parent is outside the group (a job-control shell moved it), as a safety net.
/// There the group is checked with one kill(-pgid, 0): first after <see cref="First"/>, doubling up to
/// <see cref="Max"/>. The checks end with the group, and they are bounded: before a SIGKILL by the stop deadline
/// (stopwaitsecs), after it by <see cref="KillWait"/>, once the group is given up on.
/// </remarks>
internal static class GroupPoll
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan Max = TimeSpan.FromMilliseconds(500);

    /// <summary>How long a SIGKILLed group may take to empty before it is given up on (a process stuck in the kernel).</summary>
    public static readonly TimeSpan KillWait = TimeSpan.FromSeconds(5);

    public static TimeSpan Next(TimeSpan previous) => previous <= TimeSpan.Zero ? First
        : previous >= Max / 2 ? Max
        : previous * 2;
}
