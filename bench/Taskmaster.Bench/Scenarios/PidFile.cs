using System.Globalization;

namespace Taskmaster.Bench.Scenarios;

/// <summary>The "pid epoch-seconds" line a fixture writes when it starts.</summary>
internal readonly record struct PidFile(int Pid, double StartedAt)
{
    /// <summary>Null while the file is missing or half written (the fixture truncates, then writes).</summary>
    public static PidFile? TryRead(string path)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException) { return null; }
        if (!text.EndsWith('\n')) return null;
        var parts = text.Trim().Split(' ');
        if (parts.Length != 2 || !int.TryParse(parts[0], out var pid)) return null;
        return double.TryParse(parts[1].Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out var at) ? new PidFile(pid, at) : null;
    }

    /// <summary>Now on the clock the fixture stamps its start with (CLOCK_REALTIME, seconds).</summary>
    public static double Now() => (DateTime.UtcNow - DateTime.UnixEpoch).TotalSeconds;
}
