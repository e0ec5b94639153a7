namespace Taskmaster.Spawning;

/// <summary>Starts children. The real one uses posix_spawn; tests use a fake.</summary>
public interface ISpawner
{
    /// <summary>Starts a child in a new session. Synchronous: when it returns the pid is known to the caller,
    /// so the caller can register it before any exit of it is observed.</summary>
    SpawnResult Spawn(SpawnRequest request);

    /// <summary>Starts a spawn and may return before it is done, so the caller can get on with other work (the
    /// previous child's bookkeeping, the next request) meanwhile. Spawns run in the order they were begun. The
    /// default spawns at once.</summary>
    PendingSpawn Begin(SpawnRequest request) => new PendingSpawn.Done(Spawn(request));

    /// <summary>Why <paramref name="request"/>'s command cannot run (supervisord's words), without spawning: null when it
    /// can; <paramref name="missing"/> tells "not found" from "found but not executable". The default finds no fault.</summary>
    string? CommandFault(SpawnRequest request, out bool missing)
    {
        missing = false;
        return null;
    }
}
