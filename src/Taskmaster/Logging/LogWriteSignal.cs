namespace Taskmaster.Logging;

/// <summary>
/// An auto-resetting "something was written" event that many followers can await. Awaiting is
/// race-free: take <see cref="Next"/> BEFORE reading the file, and any write after that read
/// completes the task. A write costs nothing when nobody is waiting.
/// </summary>
internal sealed class LogWriteSignal
{
    private TaskCompletionSource _current = NewSource();
    private int _armed;

    /// <summary>A task that completes at the next <see cref="Set"/> after this call.</summary>
    public Task Next()
    {
        // Read the source before arming: a Set racing between the two either completes this task
        // or leaves the signal armed for the following write, so no wake-up is lost.
        var task = Volatile.Read(ref _current).Task;
        Volatile.Write(ref _armed, 1);
        return task;
    }

    public void Set()
    {
        if (Interlocked.Exchange(ref _armed, 0) == 0)
            return;
        Interlocked.Exchange(ref _current, NewSource()).TrySetResult();
    }

    private static TaskCompletionSource NewSource() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
