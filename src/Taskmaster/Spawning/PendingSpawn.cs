namespace Taskmaster.Spawning;

/// <summary>A spawn handed to an <see cref="ISpawner"/> (<see cref="ISpawner.Begin"/>) whose outcome the caller has
/// not collected yet.</summary>
public abstract class PendingSpawn
{
    /// <summary>Waits for the spawn to be done and returns its outcome; a started child is then watched, exactly as
    /// after <see cref="ISpawner.Spawn"/>, and its pipes belong to the caller. Call once.</summary>
    public abstract SpawnResult Collect();

    /// <summary>A spawn that was over when it was handed back (a refusal, or a spawner without a queue).</summary>
    internal sealed class Done(SpawnResult result) : PendingSpawn
    {
        public override SpawnResult Collect() => result;
    }
}
