namespace Taskmaster.Reaping;

/// <summary>
/// Reports reaped children. The real one is a dedicated thread blocked in epoll_wait on the children's pidfds; it never polls.
/// The callback runs on that thread and must only post (e.g. to the supervision loop's channel).
/// </summary>
public interface IExitWatcher : IDisposable
{
    void Start(Action<ChildExit> onExit);

    /// <summary>
    /// True when this process is the child subreaper of everything it spawned: a process whose parent dies is
    /// re-parented to us instead of init, and the watcher reaps and reports it once <see cref="WatchAdoptedOrphans"/>
    /// has seen it. Then the last process of a program's group always ends with a report, and nobody needs to poll.
    /// False (the default) when orphans go to init, as in a test host: their exits reach nobody here.
    /// </summary>
    bool AdoptsOrphans => false;

    /// <summary>Starts watching the orphans adopted since the last call, so that their exits are reported (with their
    /// process group) like those of the spawner's children. Costs one read of this process's children lists; does
    /// nothing unless <see cref="AdoptsOrphans"/>.</summary>
    void WatchAdoptedOrphans() { }
}
