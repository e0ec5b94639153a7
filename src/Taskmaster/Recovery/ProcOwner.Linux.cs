// Who a process is, from /proc: its real uid (the "Uid:" line of /proc/PID/status) and the environment it was
// started with (/proc/PID/environ, NUL-separated; readable by its own user and by root).
using System.Globalization;
using System.Text;

namespace Taskmaster.Recovery;

/// <summary>The owner and start-up environment of a live process, for telling our children from anybody else's.</summary>
internal static class ProcOwner
{
    /// <summary>The real uid of <paramref name="pid"/>, or null when it cannot be read (gone, or not ours to read).</summary>
    public static uint? RealUid(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!line.StartsWith("Uid:", StringComparison.Ordinal)) continue;
                var fields = line[4..].Split('\t', StringSplitOptions.RemoveEmptyEntries);
                return fields.Length > 0 && uint.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out var uid)
                    ? uid : null;
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        return null;
    }

    /// <summary>Whether <paramref name="pid"/>'s environment holds exactly <paramref name="entry"/> (<c>NAME=value</c>).</summary>
    public static bool HasEnvironmentEntry(int pid, string entry)
    {
        byte[] environ;
        try { environ = File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ"); }
        catch (IOException) { return false; }
        catch (UnauthorizedAccessException) { return false; }
        var wanted = Encoding.UTF8.GetBytes(entry);
        foreach (var range in environ.AsSpan().Split((byte)0))
            if (environ.AsSpan(range).SequenceEqual(wanted))
                return true;
        return false;
    }
}
