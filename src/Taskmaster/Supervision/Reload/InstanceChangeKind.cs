namespace Taskmaster.Supervision.Reload;

/// <summary>What a new configuration does to one process instance.</summary>
public enum InstanceChangeKind
{
    /// <summary>Same settings: the process is not touched.</summary>
    Unchanged,
    /// <summary>Only policy changed (restart policy, timeouts, priority, group...): the running child keeps its
    /// pid and the new settings apply from its next event.</summary>
    InPlace,
    /// <summary>Something the child was started with changed (command, environment, directory...): it is
    /// stopped, given the new settings, and started again per <c>autostart</c>.</summary>
    Restart,
    /// <summary>New instance: added, and started per <c>autostart</c>.</summary>
    Added,
    /// <summary>Gone from the configuration: stopped, then forgotten once its child is reaped.</summary>
    Removed,
}
