using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Recovery;

/// <summary>
/// The file that lists the daemon's live children (<c>PIDFILE.children</c>). It is always replaced whole
/// (write a temp file, then rename), so after a crash at any instant it holds one complete earlier version.
/// It tells a root daemon which process groups to signal at start, so it is a <see cref="StateFile"/>: mode
/// 0600, and believed only when no other user could have written it. Its first line, <c>daemon PID:STARTTIME</c>,
/// names the daemon that wrote it (<see cref="ChildMarker"/>); readers that predate it skip it as a torn line.
/// </summary>
public sealed class ChildRecordFile(string path)
{
    public string Path { get; } = path;

    /// <summary>The conventional location: next to the pid file.</summary>
    public static ChildRecordFile NextToPidfile(string pidfile) => new(pidfile + ".children");

    private const string DaemonLinePrefix = "daemon ";

    /// <summary>Replaces the file with <paramref name="records"/> atomically, after the line naming
    /// <paramref name="daemonMarker"/> when there is one.</summary>
    public void Write(IEnumerable<ChildRecord> records, string? daemonMarker = null)
    {
        var text = new StringBuilder();
        if (daemonMarker is not null) text.Append(DaemonLinePrefix).Append(daemonMarker).Append('\n');
        foreach (var record in records) text.Append(record.ToLine()).Append('\n');
        StateFile.Write(Path, text.ToString(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The records of the file; empty when there is none, or when it cannot be trusted
    /// (<paramref name="refusal"/> then says why). Lines that do not parse are skipped.</summary>
    public IReadOnlyList<ChildRecord> Read(out string? refusal) => Read(out refusal, out _);

    /// <summary>The records, and the identity of the daemon that wrote them (null in a file without that line).</summary>
    public IReadOnlyList<ChildRecord> Read(out string? refusal, out string? daemonMarker)
    {
        daemonMarker = null;
        var text = StateFile.Read(Path, out refusal);
        if (text is null) return [];
        var lines = text.Split('\n');
        if (lines[0].StartsWith(DaemonLinePrefix, StringComparison.Ordinal) && lines[0].Length > DaemonLinePrefix.Length)
            daemonMarker = lines[0][DaemonLinePrefix.Length..];
        return lines.Select(ChildRecord.TryParse).OfType<ChildRecord>().ToList();
    }

    public void Delete()
    {
        try { File.Delete(Path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
