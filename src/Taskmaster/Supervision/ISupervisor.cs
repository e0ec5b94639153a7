using Taskmaster.Events;

namespace Taskmaster.Supervision;

/// <summary>
/// The engine as the control plane sees it. Every call becomes a message to the supervision loop
/// and completes when the loop has answered; nothing here touches process state directly.
/// Names follow supervisorctl: <c>name</c>, <c>group:name</c>, <c>group:*</c>, or <c>all</c>.
/// </summary>
public interface ISupervisor
{
    Task<IReadOnlyList<ProcessSnapshot>> GetProcessesAsync(CancellationToken ct = default);

    /// <summary>Starts the named processes in priority order. With <paramref name="wait"/>, each result
    /// arrives once the process is RUNNING or has failed (FATAL/BACKOFF give SpawnError or AbnormalTermination).</summary>
    Task<IReadOnlyList<OperationResult>> StartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default);

    /// <summary>Stops in reverse priority order; with <paramref name="wait"/>, results arrive once STOPPED.</summary>
    Task<IReadOnlyList<OperationResult>> StopAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default);

    Task<IReadOnlyList<OperationResult>> RestartAsync(IReadOnlyList<string> names, bool wait, CancellationToken ct = default);

    Task<IReadOnlyList<OperationResult>> SignalAsync(IReadOnlyList<string> names, int signal, CancellationToken ct = default);

    /// <summary>Truncates the named processes' log files.</summary>
    Task<IReadOnlyList<OperationResult>> ClearLogsAsync(IReadOnlyList<string> names, CancellationToken ct = default);

    /// <summary>Stops everything (reverse priority) and completes when every child is reaped.</summary>
    Task ShutdownAsync(CancellationToken ct = default);

    /// <summary>A stream of every state transition, and of every change of a process's checks or dependency standing,
    /// from now on, until <paramref name="ct"/> is cancelled.</summary>
    IAsyncEnumerable<ProcessChange> WatchAsync(CancellationToken ct = default);

    /// <summary>Every supervisor event of <paramref name="types"/> from now on (what listeners of those types
    /// receive), until <paramref name="ct"/> is cancelled. A slow reader loses the oldest, never holds the engine.</summary>
    IAsyncEnumerable<SupervisorEvent> WatchEventsAsync(EventType types, CancellationToken ct = default);

    /// <summary>Publishes a REMOTE_COMMUNICATION event (supervisor's <c>sendRemoteCommEvent</c>).</summary>
    Task SendRemoteCommEventAsync(string type, string data, CancellationToken ct = default);
}

/// <summary>
/// Configuration changes at run time (supervisorctl's reread, update, add, remove, reload). The daemon
/// re-reads its config file; the engine applies the difference, touching only what changed.
/// </summary>
public interface IConfigurationControl
{
    Task<RereadResult> RereadAsync(CancellationToken ct = default);

    /// <summary>Applies the pending changes for <paramref name="groups"/> (empty: all). Errors of a broken
    /// config come back as one result with <see cref="ErrorCode.CantReread"/> and nothing is touched.</summary>
    Task<IReadOnlyList<GroupUpdateResult>> UpdateAsync(IReadOnlyList<string> groups, CancellationToken ct = default);

    Task<GroupUpdateResult> AddGroupAsync(string group, CancellationToken ct = default);

    Task<GroupUpdateResult> RemoveGroupAsync(string group, CancellationToken ct = default);

    /// <summary>Stops everything and starts again from the config file (supervisorctl's <c>reload</c>).</summary>
    Task ReloadAsync(CancellationToken ct = default);
}
