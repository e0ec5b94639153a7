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
        if (Environment(pid) is not { } environ) return false;
        var wanted = Encoding.UTF8.GetBytes(entry);
        foreach (var range in environ.AsSpan().Split((byte)0))
            if (environ.AsSpan(range).SequenceEqual(wanted))
                return true;
        return false;
    }

    /// <summary>The NUL-separated start-up environment of <paramref name="pid"/>, or null when it cannot be read.</summary>
    public static byte[]? Environment(int pid)
    {
        try { return File.ReadAllBytes($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    /// <summary>The value of <paramref name="name"/> in an environment read by <see cref="Environment"/>, or null.</summary>
    public static string? EnvironmentValue(byte[] environ, string name)
    {
        var prefix = Encoding.UTF8.GetBytes(name + "=");
        foreach (var range in environ.AsSpan().Split((byte)0))
        {
            var entry = environ.AsSpan(range);
            if (entry.StartsWith(prefix)) return Encoding.UTF8.GetString(entry[prefix.Length..]);
        }
        return null;
    }
}
