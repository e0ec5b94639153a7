namespace Taskmaster.Spawning;

/// <summary>
/// Reports reaped children. The real one is a dedicated thread blocked in epoll_wait on the children's pidfds; it never polls.
/// The callback runs on that thread and must only post (e.g. to the supervision loop's channel).
/// </summary>
public interface IExitWatcher : IDisposable
{
    void Start(Action<int, ExitStatus> onExit);
}
