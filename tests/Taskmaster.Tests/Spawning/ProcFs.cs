namespace Taskmaster.Tests.Spawning;

/// <summary>Reads what the kernel says about a process in /proc.</summary>
internal static class ProcFs
{
    /// <summary>Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session.</summary>
    public static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
    }

    /// <summary>A "Key:" line's value from /proc/PID/status.</summary>
    public static string? Status(int pid, string key)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith(key + ":", StringComparison.Ordinal))
                    return line[(key.Length + 1)..].Trim();
        }
        catch (IOException) { }
        return null;
    }

    public static string? Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return null; }
    }

    /// <summary>Gone, or a zombie: either way it no longer runs.</summary>
    public static bool IsDead(int pid) => Stat(pid) is not { } f || f[0] is "Z" or "X";

    /// <summary>Waits (without fixed sleeps: short back-off until a generous deadline) for a /proc condition.</summary>
    public static async Task<bool> Until(Func<bool> condition, TimeSpan? deadline = null)
    {
        var end = DateTime.UtcNow + (deadline ?? TimeSpan.FromSeconds(20));
        var delay = 1;
        while (!condition())
        {
            if (DateTime.UtcNow > end)
                return false;
            await Task.Delay(delay);
            delay = Math.Min(delay * 2, 50);
        }
        return true;
    }
}
