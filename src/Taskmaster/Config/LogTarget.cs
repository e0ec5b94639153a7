namespace Taskmaster.Config;

/// <summary>
/// Where one output stream of a process instance goes. <see cref="Path"/> is null when the stream is
/// discarded (<c>NONE</c>); AUTO is resolved at load time to a file in <c>childlogdir</c>.
/// </summary>
/// <param name="Path">Absolute path of the log file, or null to discard.</param>
/// <param name="IsAuto">True when the path came from AUTO.</param>
/// <param name="MaxBytes">Rotate when the file reaches this size; 0 never rotates.</param>
/// <param name="Backups">How many rotated files (<c>path.1</c> … <c>path.N</c>) to keep; 0 truncates in place.</param>
public sealed record LogTarget(string? Path, bool IsAuto, long MaxBytes, int Backups)
{
    public static LogTarget Discard { get; } = new(null, false, 0, 0);

    public bool Discards => Path is null;
}
