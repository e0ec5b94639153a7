using System.Collections;

namespace Taskmaster.Daemon;

/// <summary>The daemon's own environment, the first layer of every child's.</summary>
internal static class DaemonEnvironment
{
    public static IReadOnlyDictionary<string, string> Current()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            var key = (string)entry.Key;
            if (key != Detacher.DetachedVariable && key != InitRole.ChildVariable)
                result[key] = (string?)entry.Value ?? "";
        }
        return result;
    }
}
