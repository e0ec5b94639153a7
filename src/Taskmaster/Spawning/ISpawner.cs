namespace Taskmaster.Spawning;

/// <summary>Starts children. The real one uses posix_spawn; tests use a fake.</summary>
public interface ISpawner
{
    /// <summary>Starts a child in a new session. Synchronous: when it returns the pid is known to the caller,
    /// so the caller can register it before any exit of it is observed.</summary>
    SpawnResult Spawn(SpawnRequest request);
}
