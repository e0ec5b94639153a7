namespace Taskmaster.Config;

/// <summary>What a changed setting costs an instance that runs when a reload applies it.</summary>
public enum OnReload
{
    /// <summary>The child was spawned with it (its argv, environment, directory, umask, user, where its output goes,
    /// its name as it sees it): only a new child has the new value.</summary>
    Restart,
    /// <summary>The supervisor reads it when something happens (an exit, a stop, a deadline, a start order): it changes
    /// under the live child.</summary>
    InPlace,
}
