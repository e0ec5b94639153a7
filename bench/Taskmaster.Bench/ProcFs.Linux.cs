namespace Taskmaster.Bench;

/// <summary>
/// Reads per-process figures from /proc. Processes and threads come and go while we read, so every
/// read tolerates a vanished entry instead of failing the measurement.
/// </summary>
internal static class ProcFs
{
    /// <summary>utime + stime of the whole process (all threads), in seconds.</summary>
    public static double CpuSeconds(int pid)
    {
        var fields = StatFields(pid);
        if (fields is null) return double.NaN;
        // After the ")" that closes comm, index 0 is field 3 (state); utime and stime are fields 14 and 15.
        return (long.Parse(fields[11]) + long.Parse(fields[12])) / (double)Posix.ClockTicksPerSecond;
    }

    /// <summary>Resident set size in kilobytes (VmRSS).</summary>
    public static long RssKb(int pid) => StatusValue($"/proc/{pid}/status", "VmRSS:");

    /// <summary>Voluntary context switches of each live thread of the process, by thread id.</summary>
    public static Dictionary<int, long> VoluntaryContextSwitches(int pid)
    {
        var byThread = new Dictionary<int, long>();
        try
        {
            foreach (var task in Directory.EnumerateDirectories($"/proc/{pid}/task"))
            {
                var v = StatusValue(Path.Combine(task, "status"), "voluntary_ctxt_switches:");
                if (v >= 0 && int.TryParse(Path.GetFileName(task), out var tid)) byThread[tid] = v;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return byThread;
    }

    /// <summary>
    /// Switches between two samples, summed over the threads alive at the second (a thread born in between counts
    /// whole). A thread that ended in between is not counted: the kernel forgets its counters with it.
    /// </summary>
    public static long ContextSwitchesBetween(Dictionary<int, long> before, Dictionary<int, long> after) =>
        after.Sum(t => t.Value - before.GetValueOrDefault(t.Key));

    /// <summary>Children of <paramref name="parentPid"/> that have exited but were not reaped.</summary>
    public static int ZombieChildren(int parentPid)
    {
        var count = 0;
        foreach (var pid in AllPids())
        {
            var f = StatFields(pid);
            if (f is not null && f[0] == "Z" && f[1] == parentPid.ToString()) count++;
        }
        return count;
    }

    /// <summary>A child of <paramref name="parentPid"/> whose command name is <paramref name="comm"/>, or null.</summary>
    public static int? ChildNamed(int parentPid, string comm)
    {
        foreach (var pid in AllPids())
        {
            var f = StatFields(pid);
            if (f is null || f[1] != parentPid.ToString()) continue;
            try
            {
                if (File.ReadAllText($"/proc/{pid}/comm").Trim() == comm) return pid;
            }
            catch (IOException) { }
        }
        return null;
    }

    /// <summary>Processes whose environment holds <paramref name="entryPrefix"/> (e.g. "TMBENCH_RUN=").</summary>
    public static List<int> ProcessesWithEnvironment(string entryPrefix) =>
        ProcessesWithEnvironment(entry => entry.StartsWith(entryPrefix, StringComparison.Ordinal));

    /// <summary>Processes (other than this one) with an environment entry <c>NAME=value</c> that <paramref name="matches"/>.</summary>
    public static List<int> ProcessesWithEnvironment(Func<string, bool> matches)
    {
        var found = new List<int>();
        var self = Environment.ProcessId;
        foreach (var pid in AllPids())
        {
            if (pid == self) continue;
            try
            {
                var environ = File.ReadAllText($"/proc/{pid}/environ");
                foreach (var entry in environ.Split('\0'))
                {
                    if (matches(entry)) { found.Add(pid); break; }
                }
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    public static IEnumerable<int> AllPids()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid)) yield return pid;
        }
    }

    private static string[]? StatFields(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close < 0 ? null : stat[(close + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    private static long StatusValue(string path, string key)
    {
        try
        {
            foreach (var line in File.ReadLines(path))
            {
                if (!line.StartsWith(key, StringComparison.Ordinal)) continue;
                var value = line[key.Length..].Trim();
                var space = value.IndexOf(' ');
                return long.Parse(space < 0 ? value : value[..space]);
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return -1;
    }
}
