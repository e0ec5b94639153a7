using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Recovery;

/// <summary>
/// The file that lists the daemon's live children (<c>PIDFILE.children</c>). It is always replaced whole
/// (write a temp file, then rename), so after a crash at any instant it holds one complete earlier version.
/// It tells a root daemon which process groups to signal at start, so it is a <see cref="StateFile"/>: mode
/// 0600, and believed only when no other user could have written it.
/// </summary>
public sealed class ChildRecordFile(string path)
{
    public string Path { get; } = path;

    /// <summary>The conventional location: next to the pid file.</summary>
    public static ChildRecordFile NextToPidfile(string pidfile) => new(pidfile + ".children");

    /// <summary>Replaces the file with <paramref name="records"/> atomically.</summary>
    public void Write(IEnumerable<ChildRecord> records)
    {
        var text = new StringBuilder();
        foreach (var record in records) text.Append(record.ToLine()).Append('\n');
        StateFile.Write(Path, text.ToString(), UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    /// <summary>The records of the file; empty when there is none, or when it cannot be trusted
    /// (<paramref name="refusal"/> then says why). Lines that do not parse are skipped.</summary>
    public IReadOnlyList<ChildRecord> Read(out string? refusal)
    {
        var text = StateFile.Read(Path, out refusal);
        if (text is null) return [];
        return text.Split('\n').Select(ChildRecord.TryParse).OfType<ChildRecord>().ToList();
    }

    public void Delete()
    {
        try { File.Delete(Path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
