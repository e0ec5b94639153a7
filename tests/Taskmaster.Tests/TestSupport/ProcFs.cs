// What the kernel says about processes, for tests that must prove where a child runs and that nothing
// is left: /proc/PID/stat parsed once into a ProcEntry, the other /proc files a test looks at, and kill(2).
// Every read treats a process that vanished (or that we may not look at) as gone, never as an error:
// the processes under test exit while we scan.
using System.Globalization;
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Tests.TestSupport;

/// <summary>/proc inspection, kill(2) and a deadline wait for tests on real processes.</summary>
internal static class ProcFs
{
    public static bool Kill(int pid, int signal) => Signals.Kill(pid, signal) == 0;

    /// <summary>The pid exists and is not a zombie.</summary>
    public static bool IsAlive(int pid) => Signals.Kill(pid, 0) == 0 && State(pid) is not 'Z' and not null;

    /// <summary>Gone, or a zombie: either way it no longer runs.</summary>
    public static bool IsDead(int pid) => Read(pid) is not { } entry || entry.IsZombie;

    /// <summary>The state letter of /proc/PID/stat (R, S, Z...), or null when gone.</summary>
    public static char? State(int pid) => Read(pid)?.State;

    public static int? ProcessGroup(int pid) => Read(pid)?.ProcessGroup;

    public static int? ParentPid(int pid) => Read(pid)?.ParentPid;

    public static int? Session(int pid) => Read(pid)?.Session;

    /// <summary>Every pid on the machine, zombies included.</summary>
    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>The whole process table. A zombie counts here: only its parent can make it go away.</summary>
    public static List<ProcEntry> All() => [.. AllPids().Select(Read).OfType<ProcEntry>()];

    /// <summary>Every process whose group is one of <paramref name="groups"/> (the pids of session leaders we spawned).</summary>
    public static List<ProcEntry> InGroups(IReadOnlySet<int> groups) => [.. All().Where(p => groups.Contains(p.ProcessGroup))];

    /// <summary>Live (non-zombie) processes whose process group is <paramref name="pgid"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int pgid) =>
        [.. All().Where(p => p.ProcessGroup == pgid && p.State != 'Z').Select(p => p.Pid)];

    public static IReadOnlyList<int> ProcessesWithCommandLineContaining(string text) =>
        [.. AllPids().Where(p => p != Environment.ProcessId && CommandLine(p).Contains(text, StringComparison.Ordinal))];

    /// <summary>The arguments of /proc/PID/cmdline joined by spaces, or "" when gone.</summary>
    public static string CommandLine(int pid) => ReadOrNull($"/proc/{pid}/cmdline")?.Replace('\0', ' ') ?? "";

    public static string? Comm(int pid) => ReadOrNull($"/proc/{pid}/comm")?.Trim();

    /// <summary>A "Key:" line's value from /proc/PID/status.</summary>
    public static string? Status(int pid, string key)
    {
        var prefix = key + ":";
        return ReadOrNull($"/proc/{pid}/status")?.Split('\n')
            .FirstOrDefault(line => line.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..].Trim();
    }

    /// <summary>Where /proc/PID/fd/FD points ("/dev/null", "pipe:[123]"...), or null when closed.</summary>
    public static string? DescriptorTarget(int pid, int fd)
    {
        try { return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>/proc/PID/stat parsed, or null when the process is gone.</summary>
    public static ProcEntry? Read(int pid)
    {
        if (ReadOrNull($"/proc/{pid}/stat") is not { } text)
            return null;
        // The command name may hold spaces and parentheses: fields start after the LAST ')'.
        var close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length)
            return null;
        var f = text[(close + 2)..].Split(' ');
        // f[0] is field 3 (state), so the exit code word, field 52, is f[49].
        int? exitSignal = f.Length > 49 && int.TryParse(f[49], CultureInfo.InvariantCulture, out var code) ? code & 0x7f : null;
        return new ProcEntry(pid, f[0][0], Int(f[1]), Int(f[2]), Int(f[3]), exitSignal);

        static int Int(string field) => int.Parse(field, CultureInfo.InvariantCulture);
    }

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

    private static string? ReadOrNull(string path)
    {
        try { return File.ReadAllText(path); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }
}
