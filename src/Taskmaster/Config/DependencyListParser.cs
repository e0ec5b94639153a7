using System.Collections.Immutable;

namespace Taskmaster.Config;

/// <summary>
/// Reads <c>depends_on</c> in the three spellings users already have: the Go port's <c>depends_on = a, b</c> (wait
/// for RUNNING), process-compose's conditions (<c>db:healthy, migrate:completed_successfully</c>, with or without
/// their <c>process_</c> prefix) and supervisord-dependent-startup's <c>dependent_startup_wait_for = zebra:running
/// start:exited</c>. Names are separated by commas, spaces or both; each edge keeps where it is written, so an unknown
/// name or a cycle is reported at the edge itself.
/// </summary>
internal static class DependencyListParser
{
    private static readonly Dictionary<string, DependencyCondition> Words = new(StringComparer.OrdinalIgnoreCase)
    {
        ["started"] = DependencyCondition.Started,
        ["starting"] = DependencyCondition.Started,
        ["process_started"] = DependencyCondition.Started,
        ["running"] = DependencyCondition.Running,
        ["process_running"] = DependencyCondition.Running,
        ["healthy"] = DependencyCondition.Healthy,
        ["process_healthy"] = DependencyCondition.Healthy,
        ["log_ready"] = DependencyCondition.LogReady,
        ["process_log_ready"] = DependencyCondition.LogReady,
        ["completed"] = DependencyCondition.Completed,
        ["exited"] = DependencyCondition.Completed,
        ["process_completed"] = DependencyCondition.Completed,
        ["completed_successfully"] = DependencyCondition.CompletedSuccessfully,
        ["process_completed_successfully"] = DependencyCondition.CompletedSuccessfully,
    };

    /// <summary>The condition words one may write after <c>name:</c>, for the error message.</summary>
    public static string Accepted => "started, running, healthy, log_ready, completed, completed_successfully (or exited)";

    public static bool TryParse(string text, InstanceScope at, out ImmutableArray<Dependency> value, out ValueError error)
    {
        value = [];
        error = default;
        // Offsets only point into the file when expansion left the text as written.
        var exact = at.Entry is { } e && e.Value == text;
        var edges = ImmutableArray.CreateBuilder<Dependency>();
        var i = 0;
        while (i < text.Length)
        {
            if (text[i] is ',' || char.IsWhiteSpace(text[i]))
            {
                i++;
                continue;
            }
            var start = i;
            while (i < text.Length && text[i] is not ',' && !char.IsWhiteSpace(text[i])) i++;
            var item = text[start..i];
            var colon = item.IndexOf(':');
            var name = colon < 0 ? item : item[..colon];
            var condition = DependencyCondition.Running;
            if (name.Length == 0)
            {
                error = new ValueError($"'{item}' names no program", start);
                return false;
            }
            if (colon >= 0 && !Words.TryGetValue(item[(colon + 1)..], out condition))
            {
                error = new ValueError($"'{item[(colon + 1)..]}' is not a dependency condition ({Accepted})", start + colon + 1);
                return false;
            }
            if (edges.Any(d => d.Target == name))
            {
                error = new ValueError($"'{name}' is listed twice", start);
                return false;
            }
            edges.Add(new Dependency(name, condition,
                exact ? at.Entry!.LocationAt(start) : at.Entry?.ValueLocation,
                exact ? at.Entry!.LineTextAt(start) : at.Entry?.LineText));
        }
        value = edges.ToImmutable();
        return true;
    }
}
