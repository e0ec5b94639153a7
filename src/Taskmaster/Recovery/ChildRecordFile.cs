using System.Text;

namespace Taskmaster.Recovery;

/// <summary>
/// The file that lists the daemon's live children (<c>PIDFILE.children</c>). It is always replaced whole
/// (write a temp file, then rename), so after a crash at any instant it holds one complete earlier version.
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
        var temp = Path + ".tmp";
        File.WriteAllText(temp, text.ToString());
        File.Move(temp, Path, overwrite: true);
    }

    /// <summary>The records of the file; empty when there is none. Lines that do not parse are skipped.</summary>
    public IReadOnlyList<ChildRecord> Read()
    {
        string[] lines;
        try { lines = File.ReadAllLines(Path); }
        catch (FileNotFoundException) { return []; }
        catch (DirectoryNotFoundException) { return []; }
        return lines.Select(ChildRecord.TryParse).OfType<ChildRecord>().ToList();
    }

    public void Delete()
    {
        try { File.Delete(Path); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}
