using System.Globalization;
using Taskmaster.Posix;

namespace Taskmaster.Daemon;

/// <summary>
/// The daemon's pid file. Claiming it refuses when a live taskmasterd already owns it, and replaces
/// a stale one (its process gone, or the pid recycled by an unrelated program).
/// </summary>
internal sealed class PidFile(string path) : IDisposable
{
    private bool _owned;

    public string Path { get; } = path;

    /// <summary>Writes our pid; returns an error message instead when another live daemon holds the file.</summary>
    public string? TryClaim()
    {
        // Under the init role PID 1 is our own parent, never a rival (a container restarted after a --no-init run
        // finds 1 in its pid file).
        if (ReadLivePid() is { } other && other != Environment.ProcessId && !(other == 1 && InitRole.IsDaemonChild))
            return $"another taskmasterd is already running with pid {other} (pidfile {Path})";
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        if (StateFile.UnsafeDirectoryReason(directory) is { } unsafeDirectory)
            return $"cannot use pidfile {Path}: {unsafeDirectory}";
        // Explicit mode: under umask 000 a plain mkdir would make a directory anyone could rearrange.
        if (OperatingSystem.IsWindows()) throw new PlatformNotSupportedException();
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        try
        {
            // Readable by all, as pid files are (monitoring reads them); writable by us alone, whatever the umask.
            StateFile.Write(Path, Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n",
                UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return $"cannot write pidfile {Path}: {e.Message}";
        }
        _owned = true;
        return null;
    }

    /// <summary>The pid in the file when that process is alive and is a taskmasterd, else null.</summary>
    public int? ReadLivePid()
    {
        try
        {
            // A pid file another user could have written names nobody we should defer to.
            var text = StateFile.Read(Path, out _)?.Trim();
            if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || pid <= 0)
                return null;
            // A recycled pid belongs to some other program: only a command line naming taskmasterd counts
            // (the native binary, or `dotnet taskmasterd.dll` during development).
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0', StringSplitOptions.RemoveEmptyEntries);
            return argv.Take(2).Any(a => System.IO.Path.GetFileName(a).StartsWith("taskmasterd", StringComparison.Ordinal)) ? pid : null;
        }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
    }

    public void Dispose()
    {
        if (!_owned) return;
        _owned = false;
        try
        {
            // Only remove the file if it still names us: a successor may have replaced it.
            if (StateFile.Read(Path, out _)?.Trim() == Environment.ProcessId.ToString(CultureInfo.InvariantCulture))
                File.Delete(Path);
        }
        catch (IOException) { }
    }
}
