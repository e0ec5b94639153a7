// One ExitWatcher for every real-process test in the assembly: exits are recorded by pid as they are reaped,
// whether the test asks before or after the child dies (a child may exit before Spawn even returns).
using System.Collections.Concurrent;
using Taskmaster.Posix;
using Taskmaster.Reaping;

namespace Taskmaster.Tests.Spawning;

/// <summary>Shared reaper subscription for tests: <c>await ChildExits.Of(pid)</c>.</summary>
internal static class ChildExits
{
    private static readonly ConcurrentDictionary<int, TaskCompletionSource<ExitStatus>> Exits = new();
    private static readonly ExitWatcher Watcher = StartWatcher();

    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private static ExitWatcher StartWatcher()
    {
        var watcher = new ExitWatcher();
        watcher.Start((pid, status) => Slot(pid).TrySetResult(status));
        return watcher;
    }

    private static TaskCompletionSource<ExitStatus> Slot(int pid) =>
        Exits.GetOrAdd(pid, _ => new TaskCompletionSource<ExitStatus>(TaskCreationOptions.RunContinuationsAsynchronously));

    /// <summary>Makes sure the shared watcher runs (before spawning, so nothing is reaped unobserved).</summary>
    public static void EnsureWatching() => GC.KeepAlive(Watcher);

    /// <summary>The exit of <paramref name="pid"/>, within <see cref="Deadline"/>.</summary>
    public static Task<ExitStatus> Of(int pid)
    {
        EnsureWatching();
        return Slot(pid).Task.WaitAsync(Deadline);
    }
}
