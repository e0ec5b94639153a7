using System.Globalization;
using System.Runtime.InteropServices;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>/proc inspection and kill(2) for tests that must prove no process is left.</summary>
internal static partial class ProcessTools
{
    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int KillNative(int pid, int signal);

    public static bool Kill(int pid, int signal) => KillNative(pid, signal) == 0;

    public static bool IsAlive(int pid) => KillNative(pid, 0) == 0 && State(pid) is not 'Z' and not null;

    /// <summary>The state letter of /proc/PID/stat (R, S, Z...), or null when gone.</summary>
    public static char? State(int pid) => Stat(pid) is { } f ? f[0][0] : null;

    /// <summary>Process group id from /proc/PID/stat, or null when gone.</summary>
    public static int? ProcessGroup(int pid) => Stat(pid) is { } f ? int.Parse(f[2], CultureInfo.InvariantCulture) : null;

    public static int? ParentPid(int pid) => Stat(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : null;

    /// <summary>Every live pid on the machine.</summary>
    public static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 0);

    /// <summary>Live (non-zombie) processes whose process group is <paramref name="pgid"/>.</summary>
    public static IReadOnlyList<int> GroupMembers(int pgid) =>
        AllPids().Where(p => ProcessGroup(p) == pgid && State(p) != 'Z').ToList();

    public static IReadOnlyList<int> ProcessesWithCommandLineContaining(string text) =>
        AllPids().Where(p => p != Environment.ProcessId && CommandLine(p).Contains(text, StringComparison.Ordinal)).ToList();

    public static string CommandLine(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    /// <summary>Fields of /proc/PID/stat after the command name: [0] state, [1] ppid, [2] pgrp, [3] session...</summary>
    private static string[]? Stat(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }
}
