using System.Globalization;

namespace Taskmaster.Tests.EndToEnd;

/// <summary>More /proc reads for the daemon's tests: sessions and what a descriptor points at.</summary>
internal static class DaemonProcessTools
{
    /// <summary>The session id from /proc/PID/stat, or null when gone.</summary>
    public static int? Session(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(text[(text.LastIndexOf(')') + 2)..].Split(' ')[3], CultureInfo.InvariantCulture);
        }
        catch (IOException) { return null; }
    }

    /// <summary>Where /proc/PID/fd/FD points ("/dev/null", "pipe:[123]"...), or null when closed.</summary>
    public static string? DescriptorTarget(int pid, int fd)
    {
        try { return new FileInfo($"/proc/{pid}/fd/{fd}").LinkTarget; }
        catch (IOException) { return null; }
    }
}
