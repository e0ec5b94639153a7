// What a process has used so far, read from /proc/PID/stat at the moment someone asks (a /metrics scrape): nothing
// is sampled in the background. The file is read into a stack buffer and parsed in place, since a scrape of 1000
// processes reads 1000 of them.
using System.Buffers.Text;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>CPU time and resident memory of one process.</summary>
/// <param name="CpuSeconds">User plus system time of the process itself (fields 14 and 15; not its children).</param>
/// <param name="ResidentBytes">Resident set size (field 24, in pages, times the page size).</param>
public readonly partial record struct ProcUsage(double CpuSeconds, long ResidentBytes)
{
    private const int _SC_CLK_TCK = 2;
    private static readonly double TicksPerSecond = ClockTicks();

    /// <summary>The usage of <paramref name="pid"/>, or null when it is gone (or its stat cannot be read).</summary>
    public static unsafe ProcUsage? Read(int pid)
    {
        // open + read + close, nothing more: File.OpenHandle would add an fstat and a SafeHandle per process.
        var fd = Descriptors.Open($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/stat", Descriptors.O_RDONLY | Descriptors.O_CLOEXEC);
        if (fd < 0) return null;
        Span<byte> buffer = stackalloc byte[1024];
        nint length;
        fixed (byte* start = buffer) length = Descriptors.Read(fd, start, buffer.Length);
        Descriptors.Close(fd);
        return length <= 0 ? null : Parse(buffer[..(int)length]);
    }

    /// <summary>Parses a stat line; null when it is malformed. Fields are counted after the last ')', since the
    /// command name (field 2) may hold spaces and parentheses.</summary>
    public static ProcUsage? Parse(ReadOnlySpan<byte> stat)
    {
        var close = stat.LastIndexOf((byte)')');
        if (close < 0) return null;
        var rest = stat[(close + 1)..];
        ulong utime = 0, stime = 0;
        long rss = 0;
        // After ')' field 3 begins; count the fields as the spaces before them go by.
        for (int field = 2; field < 24; field++)
        {
            var space = rest.IndexOf((byte)' ');
            if (space < 0) return null;
            rest = rest[(space + 1)..];
            var end = rest.IndexOf((byte)' ');
            var value = end < 0 ? rest : rest[..end];
            var ok = (field + 1) switch
            {
                14 => Utf8Parser.TryParse(value, out utime, out _),
                15 => Utf8Parser.TryParse(value, out stime, out _),
                24 => Utf8Parser.TryParse(value, out rss, out _),
                _ => true,
            };
            if (!ok) return null;
        }
        return new ProcUsage((utime + stime) / TicksPerSecond, rss * Environment.SystemPageSize);
    }

    private static double ClockTicks()
    {
        var ticks = Sysconf(_SC_CLK_TCK);
        return ticks > 0 ? ticks : 100; // USER_HZ is 100 on every Linux architecture we run on
    }

    [LibraryImport("libc", EntryPoint = "sysconf")]
    private static partial long Sysconf(int name);
}
