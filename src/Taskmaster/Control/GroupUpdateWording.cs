using Taskmaster.Supervision;

namespace Taskmaster.Control;

/// <summary>
/// supervisorctl's words for what <c>update</c>, <c>add</c> and <c>remove</c> did to a group (<c>added process
/// group</c>, <c>stopped</c>, <c>has problems; not updated</c>, <c>ERROR (no such group)</c>...): the <c>action</c>
/// of the API's group results, and the daemon's own reload lines. The engine says what happened
/// (<see cref="GroupUpdateResult"/>); the words are said here only.
/// </summary>
public static class GroupUpdateWording
{
    public static string Of(GroupUpdateResult result) => result.Error switch
    {
        null => result.Change switch
        {
            GroupChange.Added => "added process group",
            GroupChange.Removed => "removed process group",
            GroupChange.Updated => "updated process group",
            GroupChange.Stopped => "stopped",
            var change => throw new ArgumentOutOfRangeException(nameof(result), change, null),
        },
        ErrorCode.Failed => result.Change == GroupChange.Removed ? "has problems; not removing" : "has problems; not updated",
        ErrorCode.BadName => "ERROR (no such group)",
        ErrorCode.AlreadyAdded => "ERROR (already added)",
        ErrorCode.StillRunning => "ERROR (process group still running)",
        ErrorCode.ShutdownState => "ERROR (shutting down)",
        ErrorCode.CantReread => "ERROR (can't reread)",
        { } error => $"ERROR ({ApiError.NameOf(error)})",
    };
}
