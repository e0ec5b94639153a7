
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

// The actions about what a reaped child left in its process group (see the remarks on TransitionActions): waiting for
// it, checking it, stopping and killing it, letting it go.
internal sealed partial class TransitionActions
{
    /// <summary>stopwaitsecs passed for what the reaped child left in its group: SIGKILL it (killasgroup), or leave it
    /// and stop waiting (killasgroup=false, only after a stop: an exit's leftovers are never waited for then).</summary>
    private ProcessEvent? KillLeftovers(ManagedProcess p)
    {
        if (p.Pid is not null || p.LingeringGroup is not { } pgid) return null; // nothing left over (a stale deadline)
        p.StopDeadline = null;
        var pids = Pids(signaller.GroupMembers(pgid));
        if (!p.Config.KillAsGroup)
        {
            SupervisorLog.LeftAlone(loop.Logger, p.Name, pgid, pids);
            return Release(p);
        }
        p.Killed = true;
        SupervisorLog.KillingLeftovers(loop.Logger, p.Name, pgid, pids);
        signaller.Signal(pgid, Signals.SIGKILL, toGroup: true);
        p.GroupGiveUpAt = time.GetUtcNow() + GroupPoll.KillWait;
        p.GroupPollInterval = TimeSpan.Zero;
        WatchGroup(p);
        return null;
    }

    /// <summary>Whether the lingering group has emptied; if not, keeps watching it (and gives up on survivors of a
    /// SIGKILL after <see cref="GroupPoll.KillWait"/>).</summary>
    private ProcessEvent? CheckGroup(ManagedProcess p)
    {
        p.GroupCheckAt = null;
        if (p.LingeringGroup is not { } pgid) return null; // released already: a late report
        if (!signaller.GroupHasMembers(pgid)) return Release(p);
        if (p.GroupGiveUpAt is { } giveUp && time.GetUtcNow() >= giveUp)
        {
            SupervisorLog.GroupSurvivedKill(loop.Logger, p.Name, pgid, Pids(signaller.GroupMembers(pgid)),
                (int)GroupPoll.KillWait.TotalSeconds);
            return Release(p);
        }
        WatchGroup(p);
        return null;
    }

    /// <summary>
    /// The child exited on its own (not stopped). What it left running in its process group (a backgrounded helper, a
    /// worker whose wrapper crashed) would be an orphan nobody supervises: as in a stop, it gets the stop signal, then
    /// SIGKILL after stopwaitsecs, and no new child is spawned before it is gone. With killasgroup=false it is left
    /// alone, as supervisord leaves it. Either way the log says so once, naming the pids (one scan of /proc, paid only
    /// when something was left).
    /// </summary>
    private void StopLeftovers(ManagedProcess p, int? group)
    {
        if (group is not { } pgid || !signaller.GroupHasMembers(pgid)) return;
        var members = signaller.GroupMembers(pgid);
        if (members.Count == 0)
        {
            // Only zombies: watched, our adopted ones are reaped at once; init reaps the others.
            exitWatcher.WatchAdoptedOrphans();
            return;
        }
        var c = p.Config;
        if (!c.KillAsGroup)
        {
            SupervisorLog.LeftAlone(loop.Logger, p.Name, pgid, Pids(members));
            return;
        }
        SupervisorLog.StoppingLeftovers(loop.Logger, p.Name, pgid, Pids(members), Signals.Name(c.StopSignal), c.StopWaitSecs);
        p.StopDeadline = time.GetUtcNow().AddSeconds(c.StopWaitSecs);
        signaller.Signal(pgid, c.StopSignal, toGroup: true);
        Linger(p, pgid);
    }

    /// <summary>Waits for what is left of <paramref name="pgid"/>, the reaped leader's group.</summary>
    private void Linger(ManagedProcess p, int pgid)
    {
        p.LingeringGroup = pgid;
        ByGroup[pgid] = p;
        p.GroupPollInterval = TimeSpan.Zero;
        if (p.Killed) p.GroupGiveUpAt = time.GetUtcNow() + GroupPoll.KillWait;
        WatchGroup(p);
    }

    /// <summary>
    /// Arranges to hear when the lingering group may have emptied. As subreaper, the death of the leader (or of a
    /// member) has just re-parented its children to us: watching them makes the exit of the last one an event.
    /// Where that cannot be (not the subreaper), or as a safety net once SIGKILL was sent, the next check is a deadline.
    /// </summary>
    private void WatchGroup(ManagedProcess p)
    {
        exitWatcher.WatchAdoptedOrphans();
        if (exitWatcher.AdoptsOrphans && !p.Killed) return;
        p.GroupPollInterval = GroupPoll.Next(p.GroupPollInterval);
        p.GroupCheckAt = time.GetUtcNow() + p.GroupPollInterval;
    }

    /// <summary>Forgets the lingering group and its deadlines: nothing of the last child is waited for any more.</summary>
    private ProcessEventKind Release(ManagedProcess p)
    {
        if (p.LingeringGroup is { } pgid) ByGroup.Remove(pgid);
        p.LingeringGroup = null;
        p.GroupCheckAt = null;
        p.GroupGiveUpAt = null;
        p.StopDeadline = null; // the leftovers' SIGKILL, or the stop's: moot once the group is released
        return ProcessEventKind.GroupReleased;
    }

    private static string Pids(IReadOnlyList<int> pids) => pids.Count switch
    {
        0 => "none left",
        <= PidsNamed => string.Join(", ", pids),
        _ => $"{string.Join(", ", pids.Take(PidsNamed))} and {pids.Count - PidsNamed} more",
    };
}
