using System.Globalization;

namespace Taskmaster.Recovery;

/// <summary>
/// One child of the daemon as the crash-recovery file remembers it: enough to find it again after the daemon
/// died, and to tell it apart from an unrelated process that later received the same pid.
/// </summary>
/// <param name="Name">The instance's full name (<c>group:name</c> or <c>name</c>), for the log line.</param>
/// <param name="Pid">The child's pid.</param>
/// <param name="ProcessGroup">Its process group (equal to the pid: every child leads its own session).</param>
/// <param name="StartTicks">Field 22 of /proc/PID/stat: clock ticks after boot at which the process started.</param>
public sealed record ChildRecord(string Name, int Pid, int ProcessGroup, ulong StartTicks)
{
    /// <summary>One line of the file: <c>pid pgid starticks name</c> (the name last: it may hold any character but a newline).</summary>
    public string ToLine() => string.Create(CultureInfo.InvariantCulture, $"{Pid} {ProcessGroup} {StartTicks} {Name}");

    /// <summary>Parses a line written by <see cref="ToLine"/>; null for anything else (a torn or foreign file).</summary>
    public static ChildRecord? TryParse(string line)
    {
        var parts = line.Split(' ', 4);
        if (parts.Length != 4
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 1
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var pgid) || pgid <= 1
            || !ulong.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || parts[3].Length == 0)
            return null;
        return new ChildRecord(parts[3], pid, pgid, ticks);
    }
}
