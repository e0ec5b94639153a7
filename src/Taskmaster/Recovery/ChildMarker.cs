// What finds the children a crashed daemon had not recorded yet. The children file is rewritten off the loop a few
// milliseconds after a change, and later still while a spawn batch keeps the loop busy: a daemon SIGKILLed in the
// middle of a batch left the batch's first children unrecorded, and its successor ran them a second time.
//
// So every child also carries the identity of the daemon that spawned it in its environment, TASKMASTER_DAEMON =
// "pid:starttime" (a pair unique over the life of the machine), and the children file's first line names that
// identity; the file is written with it before anything is spawned. A successor stops every process whose start-up
// environment (/proc/PID/environ, inherited by grandchildren too) carries the dead daemon's identity, beside the
// recorded ones. A program whose `environment=` sets TASKMASTER_DAEMON itself only has the file to go by.
using System.Globalization;
using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Recovery;

/// <summary>The daemon identity every child carries in its environment, and the search for a dead daemon's carriers.</summary>
public static class ChildMarker
{
    /// <summary>The environment variable each child gets.</summary>
    public const string Variable = "TASKMASTER_DAEMON";

    /// <summary>This process's identity: "pid:starttime".</summary>
    public static string? OfThisProcess() =>
        ProcStat.Read(Environment.ProcessId) is { } stat
            ? string.Create(CultureInfo.InvariantCulture, $"{Environment.ProcessId}:{stat.StartTicks}")
            : null;

    /// <summary>
    /// Live processes of <paramref name="uids"/> whose environment holds <see cref="Variable"/>=<paramref name="marker"/>,
    /// outside this process's own group, one per process group (the leader when it is among them), as records
    /// named after their SUPERVISOR_PROCESS_NAME.
    /// </summary>
    internal static List<ChildRecord> FindCarriers(string marker, IReadOnlySet<uint> uids)
    {
        var wanted = Encoding.UTF8.GetBytes(Variable + "=" + marker);
        var ownGroup = ProcStat.Read(Environment.ProcessId)?.ProcessGroup;
        var byGroup = new Dictionary<int, ChildRecord>();
        foreach (var pid in ProcStat.AllPids())
        {
            if (pid == Environment.ProcessId || ProcStat.Read(pid) is not { IsZombie: false } stat || stat.ProcessGroup == ownGroup) continue;
            if (byGroup.TryGetValue(stat.ProcessGroup, out var known) && known.Pid == known.ProcessGroup) continue;
            if (ProcOwner.RealUid(pid) is not { } uid || !uids.Contains(uid)) continue;
            if (ProcOwner.Environment(pid) is not { } environ || !Has(environ, wanted)) continue;
            var name = ProcOwner.EnvironmentValue(environ, "SUPERVISOR_PROCESS_NAME") ?? "?";
            byGroup[stat.ProcessGroup] = new ChildRecord(name, pid, stat.ProcessGroup, stat.StartTicks);
        }
        return [.. byGroup.Values];
    }

    private static bool Has(byte[] environ, byte[] entry)
    {
        foreach (var range in environ.AsSpan().Split((byte)0))
            if (environ.AsSpan(range).SequenceEqual(entry))
                return true;
        return false;
    }
}
