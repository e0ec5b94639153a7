using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;

namespace Taskmaster.Supervision.Reload;

/// <summary>
/// supervisorctl's reread, update, add, remove and reload over a <see cref="Supervisor"/>. The daemon builds one
/// with its engine and the loader that gave the engine its first configuration (the file with the command line's
/// flags over it), and calls it from the control API and on SIGHUP (<see cref="UpdateAsync"/> with no group).
/// </summary>
/// <remarks>
/// Like supervisord, the controller keeps the configuration last read successfully: <c>reread</c> and
/// <c>update</c> replace it, <c>add</c> takes its groups from it. A file that fails to load replaces nothing and
/// touches no process. Operations run one at a time: an update waits for the children it stops, and a second
/// one must diff against the result of the first.
/// </remarks>
public sealed class ConfigurationController : IConfigurationControl
{
    private readonly Supervisor _supervisor;
    private readonly Func<SupervisorConfig> _load;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private SupervisorConfig _lastRead;

    /// <param name="supervisor">The running engine.</param>
    /// <param name="load">Reads the configuration afresh, exactly as the engine's first one was read (anything else would
    /// be reported as a change); throws <see cref="ConfigException"/> when it is broken.</param>
    public ConfigurationController(Supervisor supervisor, Func<SupervisorConfig> load)
    {
        _supervisor = supervisor;
        _load = load;
        _logger = supervisor.Logger;
        _lastRead = supervisor.InitialConfig;
    }

    /// <summary>The configuration last read successfully (at first, the one the engine started with).</summary>
    public SupervisorConfig LastRead => Volatile.Read(ref _lastRead);

    /// <summary>Loads the file and reports, per group, what an update would do. Changes nothing that runs.</summary>
    public async Task<RereadResult> RereadAsync(CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!TryLoad(out var next, out var error)) return new RereadResult(null, Headlines(error));
            var active = await _supervisor.GetActiveGroupsAsync(ct).ConfigureAwait(false);
            return new RereadResult(ConfigDiff.Compute(active, next.Groups).Groups, [])
            {
                RestartRequired = DaemonRestartCheck.Compare(_supervisor.InitialConfig, next),
            };
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>Rereads, then applies the changes of <paramref name="groups"/> (empty or <c>all</c>: every group).
    /// A broken file gives one <see cref="ErrorCode.CantReread"/> result (group "", the errors as message).</summary>
    public async Task<IReadOnlyList<GroupUpdateResult>> UpdateAsync(IReadOnlyList<string> groups, CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!TryLoad(out var next, out var error))
                return [new GroupUpdateResult("", GroupChange.Updated, ErrorCode.CantReread, string.Join("\n", Headlines(error)))];
            var results = await _supervisor.ApplyAsync(next, groups, ct).ConfigureAwait(false);
            if (results.Count == 0) ReloadLog.NothingToDo(_logger);
            return results;
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>supervisorctl's <c>add</c>: activates a group of the configuration last read.</summary>
    public async Task<GroupUpdateResult> AddGroupAsync(string group, CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var config = LastRead.Groups.FirstOrDefault(g => g.Name == group);
            return config is null
                ? new GroupUpdateResult(group, GroupChange.Added, ErrorCode.BadName)
                : await _supervisor.AddGroupAsync(config, ct).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>supervisorctl's <c>remove</c>: refused with <see cref="ErrorCode.StillRunning"/> while a process of the group runs.</summary>
    public async Task<GroupUpdateResult> RemoveGroupAsync(string group, CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await _supervisor.RemoveGroupAsync(group, ct).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    /// <summary>
    /// supervisorctl's <c>reload</c>, the daemon process staying: the file is loaded first, and only if it loads are
    /// all processes stopped (reverse priority) and the new programs started per autostart.
    /// </summary>
    /// <exception cref="ConfigException">The file is broken; nothing was stopped.</exception>
    public async Task ReloadAsync(CancellationToken ct = default)
    {
        await _oneAtATime.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!TryLoad(out var next, out var error)) throw error;
            ReloadLog.ReloadingEverything(_logger);
            await _supervisor.ReplaceAllAsync(next, ct).ConfigureAwait(false);
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    // ---- Loading (under the gate) ----

    private static IReadOnlyList<string> Headlines(ConfigException error) => [.. error.Errors.Select(d => d.Headline)];

    /// <summary>Loads the configuration; on success it becomes the one last read, on failure nothing changes and
    /// <paramref name="error"/> holds every problem found.</summary>
    private bool TryLoad([NotNullWhen(true)] out SupervisorConfig? next, [NotNullWhen(false)] out ConfigException? error)
    {
        try
        {
            next = _load();
        }
        catch (ConfigException e)
        {
            foreach (var d in e.Errors) ReloadLog.ConfigRejected(_logger, d.Headline);
            (next, error) = (null, e);
            return false;
        }
        foreach (var setting in DaemonRestartCheck.Compare(_supervisor.InitialConfig, next))
            ReloadLog.NeedsDaemonRestart(_logger, setting);
        Volatile.Write(ref _lastRead, next);
        error = null;
        return true;
    }
}
