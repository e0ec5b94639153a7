using System.Collections.Immutable;
using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// A child's complete environment, layered as supervisord does: the daemon's own environment, then
/// <c>[supervisord] environment</c>, then <c>SUPERVISOR_ENABLED</c>, <c>SUPERVISOR_PROCESS_NAME</c> and
/// <c>SUPERVISOR_GROUP_NAME</c>, then what the program's <c>env_file</c>s set, then its <c>environment</c> (which
/// therefore may override them all, as in supervisord's <c>_spawn_as_child</c>). Later layers replace earlier values
/// of the same key.
/// </summary>
/// <param name="baseEnvironment">The daemon's own environment.</param>
/// <param name="daemonEnvironment"><c>[supervisord] environment</c>, fixed for the engine's lifetime.</param>
/// <param name="serverUrl">The daemon's own control URL, the <c>SUPERVISOR_SERVER_URL</c> of a child whose
/// <c>serverurl</c> is AUTO (null: none is set).</param>
internal sealed class ChildEnvironment(
    IReadOnlyDictionary<string, string> baseEnvironment,
    ImmutableArray<KeyValuePair<string, string>> daemonEnvironment,
    string? serverUrl = null)
{
    /// <summary>The environment a child of <paramref name="process"/> gets.</summary>
    public ImmutableArray<KeyValuePair<string, string>> For(ProcessConfig process)
    {
        // Insertion order is kept so the child sees a stable, readable environment.
        var order = new List<string>();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in baseEnvironment) Set(key, value);
        foreach (var (key, value) in daemonEnvironment) Set(key, value);
        Set("SUPERVISOR_ENABLED", "1");
        if ((process.ServerUrl ?? serverUrl) is { } url) Set("SUPERVISOR_SERVER_URL", url);
        Set("SUPERVISOR_PROCESS_NAME", process.Name);
        Set("SUPERVISOR_GROUP_NAME", process.GroupName);
        foreach (var (key, value) in process.EnvFiles.Variables) Set(key, value);
        foreach (var (key, value) in process.Environment) Set(key, value);
        return [.. order.Select(k => KeyValuePair.Create(k, values[k]))];

        void Set(string key, string value)
        {
            if (!values.ContainsKey(key)) order.Add(key);
            values[key] = value;
        }
    }
}
