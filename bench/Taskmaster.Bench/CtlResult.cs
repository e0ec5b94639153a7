namespace Taskmaster.Bench;

/// <summary>One client invocation: its exit code, output and wall time.</summary>
internal sealed record CtlResult(int ExitCode, string Output, TimeSpan Elapsed)
{
    /// <summary>Status lines (<c>%-33s%-10s%s</c>) parsed into name → (state, pid when running).</summary>
    public Dictionary<string, (string State, int? Pid)> ParseStatus()
    {
        var result = new Dictionary<string, (string, int?)>(StringComparer.Ordinal);
        foreach (var line in Output.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length < 2) continue;
            int? pid = null;
            var at = Array.IndexOf(parts, "pid");
            if (at >= 0 && at + 1 < parts.Length && int.TryParse(parts[at + 1].TrimEnd(','), out var p)) pid = p;
            result[parts[0]] = (parts[1], pid);
        }
        return result;
    }

    public int CountInState(string state) => ParseStatus().Values.Count(v => v.State == state);
}
