// Start-up half of crash safety. A taskmasterd killed with SIGKILL leaves its children running: each leads its
// own session, so nothing reaps or signals them. Its successor reads the children file the dead daemon kept
// and stops every recorded process group that still exists, before it spawns anything itself; otherwise the
// same program would run twice.
//
// A pid is only trusted together with its start time (field 22 of /proc/PID/stat): the pair is unique over
// the life of the machine, so a pid that now belongs to another program is never signalled. When the recorded
// leader is gone but members of its group remain (a grandchild that outlived its parent), the group is still
// ours: Linux never hands out a pid while a process group or session of that number exists, so group X with
// live members and no process X can only be the group the leader made.
//
// The file is only believed when no other user could have written it (StateFile), and even then a group is
// signalled only when a live member of it runs as the daemon's user or a configured `user=` AND carries the
// name of the recorded program in its environment (SUPERVISOR_PROCESS_NAME, which every child gets): a
// forged or stale line can never point a root daemon at somebody else's processes.
//
// Beside the recorded groups, every process that carries the dead daemon's identity in its environment is stopped
// too (ChildMarker): the children spawned in the moments before the crash that the file had not caught up with.
using Microsoft.Extensions.Logging;
using Taskmaster.Posix;
using Taskmaster.Signalling;

namespace Taskmaster.Recovery;

/// <summary>Stops the children a previous, crashed daemon left behind (TERM, then KILL after a grace).</summary>
public sealed class LeftoverCleaner(IProcessSignaller signaller, ILogger logger, TimeProvider time)
{
    /// <summary>The uids our children may run as: the daemon's own, and those of the configured <c>user=</c>s.</summary>
    public IReadOnlySet<uint> ChildUids { get; init; } = new HashSet<uint> { Identity.GetEuid() };

    /// <summary>How long leftovers get to exit after SIGTERM before SIGKILL.</summary>
    public TimeSpan Grace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>How long to wait for the kernel to finish SIGKILLed processes before giving up on them.</summary>
    public TimeSpan KillWait { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Stops every live leftover listed in <paramref name="file"/>; returns how many groups were stopped.</summary>
    public async Task<int> StopLeftoversAsync(ChildRecordFile file, CancellationToken ct = default)
    {
        var recorded = file.Read(out var refusal, out var daemonMarker);
        if (refusal is not null)
            RecoveryLog.FileNotTrusted(logger, refusal);
        var records = recorded.ToList();
        if (daemonMarker is not null)
        {
            var recordedGroups = records.Select(r => r.ProcessGroup).ToHashSet();
            foreach (var carrier in ChildMarker.FindCarriers(daemonMarker, ChildUids))
            {
                if (!recordedGroups.Contains(carrier.ProcessGroup))
                    records.Add(carrier);
            }
        }
        if (records.Count == 0) return 0;

        var targets = new List<ChildRecord>();
        var members = GroupMembers();
        foreach (var record in records)
        {
            if (ProcStat.Read(record.Pid) is { IsZombie: false } stat)
            {
                if (stat.StartTicks != record.StartTicks)
                {
                    // The pid was reused, so the old group is necessarily empty (see the file comment).
                    RecoveryLog.PidRecycled(logger, record.Name, record.Pid);
                    continue;
                }
                if (!IsOurs(record.Pid, record))
                {
                    RecoveryLog.NotOurs(logger, record.Name, record.Pid);
                    continue;
                }
                RecoveryLog.StoppingLeftover(logger, record.Name, record.Pid);
            }
            else
            {
                var remaining = members.TryGetValue(record.ProcessGroup, out var list)
                    ? list.Where(m => m.Stat.StartTicks >= record.StartTicks).ToList() : [];
                if (remaining.Count == 0) continue;
                if (!remaining.Any(m => IsOurs(m.Pid, record)))
                {
                    RecoveryLog.NotOurs(logger, record.Name, record.ProcessGroup);
                    continue;
                }
                RecoveryLog.StoppingLeftoverGroup(logger, record.Name, record.Pid, remaining.Count);
            }
            signaller.Signal(record.ProcessGroup, Signals.SIGTERM, toGroup: true);
            // A stopped process does not act on SIGTERM until it is continued.
            signaller.Signal(record.ProcessGroup, Signals.SIGCONT, toGroup: true);
            targets.Add(record);
        }
        if (targets.Count == 0) return 0;

        var alive = await WaitForGroupsToEmptyAsync(targets, Grace, ct).ConfigureAwait(false);
        if (alive.Count > 0)
        {
            foreach (var record in alive)
            {
                RecoveryLog.KillingLeftover(logger, record.Name, record.ProcessGroup);
                signaller.Signal(record.ProcessGroup, Signals.SIGKILL, toGroup: true);
            }
            await WaitForGroupsToEmptyAsync(alive, KillWait, ct).ConfigureAwait(false);
        }
        RecoveryLog.Done(logger, targets.Count);
        return targets.Count;
    }

    /// <summary>
    /// These processes are not our children (init adopted them), so no exit notification reaches us: poll /proc.
    /// Runs once at start-up, before any child of ours exists, so the cost is bounded by the grace.
    /// </summary>
    private async Task<List<ChildRecord>> WaitForGroupsToEmptyAsync(List<ChildRecord> records, TimeSpan limit, CancellationToken ct)
    {
        var deadline = time.GetUtcNow() + limit;
        while (true)
        {
            var members = GroupMembers();
            var alive = records.Where(r => members.ContainsKey(r.ProcessGroup)).ToList();
            if (alive.Count == 0 || time.GetUtcNow() >= deadline) return alive;
            await Task.Delay(TimeSpan.FromMilliseconds(20), time, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Live (non-zombie) processes by process group, from one scan of /proc.</summary>
    private static Dictionary<int, List<(int Pid, ProcStat Stat)>> GroupMembers()
    {
        var groups = new Dictionary<int, List<(int, ProcStat)>>();
        foreach (var pid in ProcStat.AllPids())
        {
            if (ProcStat.Read(pid) is not { IsZombie: false } stat) continue;
            if (!groups.TryGetValue(stat.ProcessGroup, out var list))
                groups[stat.ProcessGroup] = list = [];
            list.Add((pid, stat));
        }
        return groups;
    }

    /// <summary>Whether <paramref name="pid"/> runs as one of <see cref="ChildUids"/> and was started by a daemon
    /// for the program <paramref name="record"/> names.</summary>
    private bool IsOurs(int pid, ChildRecord record)
    {
        if (ProcOwner.RealUid(pid) is not { } uid || !ChildUids.Contains(uid))
            return false;
        var processName = record.Name[(record.Name.LastIndexOf(':') + 1)..];
        return ProcOwner.HasEnvironmentEntry(pid, "SUPERVISOR_PROCESS_NAME=" + processName);
    }
}
