namespace Taskmaster.Logging;

/// <summary>
/// Tells log followers (<c>tail -f</c>, <c>maintail -f</c>) that a log file changed, straight from
/// the writer, so following needs neither polling nor FileSystemWatcher.
/// </summary>
public interface ILogWriteNotifier
{
    /// <summary>A task that completes the next time <paramref name="path"/> is written, rotated,
    /// cleared or reopened. Take it before reading, then await it when the read found nothing new.</summary>
    Task WhenWritten(string path);
}
