// /proc/PID/stat, read to recognise a process over time (crash recovery) and to list a process group's
// members. The command name (field 2) is in parentheses and may itself hold spaces or parentheses, so fields are
// counted from the LAST ')' on the line.
using System.Globalization;

namespace Taskmaster.Posix;

/// <summary>The few fields of /proc/PID/stat that identify a process over time.</summary>
/// <param name="State">Field 3: R, S, D, T, Z...</param>
/// <param name="ProcessGroup">Field 5.</param>
/// <param name="Session">Field 6.</param>
/// <param name="StartTicks">Field 22: start time in clock ticks after boot; with the pid, a unique identity.</param>
public readonly record struct ProcStat(char State, int ProcessGroup, int Session, ulong StartTicks)
{
    /// <summary>A zombie has exited already; only its parent's wait is missing.</summary>
    public bool IsZombie => State is 'Z' or 'X';

    /// <summary>The stat of <paramref name="pid"/>, or null when no such process exists (or it cannot be read).</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return Parse(text);
    }

    /// <summary>Parses the text of a stat file; null when it is malformed.</summary>
    public static ProcStat? Parse(string text)
    {
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 > text.Length) return null;
        // After ") " come field 3 (state) onwards: index 0 is field 3, so field N is index N - 3.
        var fields = text[(close + 2)..].Split(' ');
        if (fields.Length < 20 || fields[0].Length != 1
            || !int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var pgrp)
            || !int.TryParse(fields[3], NumberStyles.None, CultureInfo.InvariantCulture, out var session)
            || !ulong.TryParse(fields[19], NumberStyles.None, CultureInfo.InvariantCulture, out var start))
            return null;
        return new ProcStat(fields[0][0], pgrp, session, start);
    }

    /// <summary>The live (not zombie) processes of process group <paramref name="pgid"/>, lowest pid first: one scan
    /// of /proc, O(processes on the machine), so only for the rare paths that name them.</summary>
    public static List<int> LiveMembersOf(int pgid)
    {
        var members = new List<int>();
        foreach (var pid in AllPids())
            if (Read(pid) is { IsZombie: false } stat && stat.ProcessGroup == pgid)
                members.Add(pid);
        members.Sort();
        return members;
    }

    /// <summary>Every pid currently listed in /proc.</summary>
    public static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
                yield return pid;
    }
}
