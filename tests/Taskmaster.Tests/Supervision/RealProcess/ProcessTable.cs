using System.Globalization;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>One line of the kernel's process table, read from /proc/PID/stat.</summary>
internal readonly record struct ProcEntry(int Pid, char State, int ParentPid, int ProcessGroup, int? ExitSignal)
{
    public bool IsZombie => State is 'Z' or 'X';
}

/// <summary>
/// Scans /proc for what a supervisor may have left behind. A zombie counts as a process here: it still holds
/// its pid and its group id, and only its parent can make it go away.
/// </summary>
internal static class ProcessTable
{
    public static List<ProcEntry> All()
    {
        var list = new List<ProcEntry>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && Read(pid) is { } entry)
                list.Add(entry);
        }
        return list;
    }

    /// <summary>Every process whose group is one of <paramref name="groups"/> (the pids of session leaders we spawned).</summary>
    public static List<ProcEntry> InGroups(IReadOnlySet<int> groups) => [.. All().Where(p => groups.Contains(p.ProcessGroup))];

    public static ProcEntry? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        // The command name may hold spaces and parentheses: fields start after the LAST ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var f = text[(close + 2)..].Split(' ');
        // f[0] is field 3 (state); the exit code word is field 52, present since Linux 3.5.
        int? exitSignal = f.Length > 49 && int.TryParse(f[49], CultureInfo.InvariantCulture, out var code) ? code & 0x7f : null;
        return new ProcEntry(pid, f[0][0], int.Parse(f[1], CultureInfo.InvariantCulture),
            int.Parse(f[2], CultureInfo.InvariantCulture), exitSignal);
    }
}
