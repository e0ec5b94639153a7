using Taskmaster.Posix;

namespace Taskmaster.Supervision.Triggers;

/// <summary>
/// <c>max_memory_restart</c>: every <see cref="Interval"/>, one read of <c>/proc/PID/statm</c>-sized data
/// (<see cref="ProcUsage"/>) for each RUNNING process that has the key, on the loop thread; one above its limit is
/// restarted. It is a deadline of the loop like the others (<see cref="Next"/>), armed only while such a process has a
/// child: a daemon where no program has the key never sweeps, and one whose capped programs are all down stops sweeping.
/// </summary>
/// <remarks>
/// Why a sweep and not cgroup v2's <c>memory.events</c>: those report a cgroup crossing <c>memory.high</c>, which needs
/// a cgroup per program (a delegated subtree the daemon does not have when it runs as a plain user or under another
/// supervisor). A sweep of N capped programs costs N small reads of /proc per interval (not measured yet).
/// </remarks>
internal sealed class MemoryWatch(ISupervisionLoop loop, TimeProvider time, Action<ManagedProcess> restart)
{
    /// <summary>How often capped programs are measured (PM2 checks every 30 s).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    private readonly List<ManagedProcess> _capped = [];
    private int _seenVersion = -1;

    /// <summary>When the next sweep is due; null while nothing is to be measured.</summary>
    public DateTimeOffset? Next { get; private set; }

    /// <summary>After the directory changed: which processes have the key.</summary>
    public void Follow(ProcessDirectory directory)
    {
        if (directory.Version == _seenVersion) return;
        _seenVersion = directory.Version;
        _capped.Clear();
        foreach (var p in directory.Unordered)
            if (p.Config.MaxMemoryRestart is not null) _capped.Add(p);
        if (_capped.Count == 0) Next = null;
        else if (Next is null && _capped.Any(p => p.Pid is not null)) Next = time.GetUtcNow() + Interval;
    }

    /// <summary>A child of <paramref name="p"/> was spawned: the sweep runs if it is capped.</summary>
    public void Spawned(ManagedProcess p)
    {
        if (p.Config.MaxMemoryRestart is not null && Next is null) Next = time.GetUtcNow() + Interval;
    }

    /// <summary>The sweep is due: measure, restart what is above its limit, and arm the next one if anything runs.</summary>
    public void Sweep()
    {
        Next = null;
        var anyAlive = false;
        foreach (var p in _capped)
        {
            if (p.Pid is not { } pid || p.Config.MaxMemoryRestart is not { } limit) continue;
            anyAlive = true;
            if (p.State != ProcessState.Running || loop.ShuttingDown) continue;
            if (ProcUsage.Read(pid) is not { ResidentBytes: var resident } || resident <= limit) continue;
            TriggerLog.OverMemory(loop.Logger, p.Name, resident, limit);
            restart(p);
        }
        if (anyAlive) Next = time.GetUtcNow() + Interval;
    }
}
