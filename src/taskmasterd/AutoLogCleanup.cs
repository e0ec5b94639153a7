using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Posix;

namespace Taskmaster.Daemon;

/// <summary>
/// At start, deletes the AUTO logs that earlier runs of a daemon with the same identifier left (each run draws its own
/// names, so they would pile up), as supervisord does unless <c>nocleanup</c>. Only regular files of the daemon's own
/// user are touched: in a shared directory such as /tmp, names of that form that others made are not ours to delete.
/// </summary>
internal static class AutoLogCleanup
{
    public static unsafe void Run(DaemonSettings daemon, ILogger log)
    {
        if (daemon.NoCleanup) return;
        var directory = new AutoLogNames(daemon.ChildLogDir, daemon.Identifier).Directory;
        IEnumerable<string> files;
        try { files = Directory.EnumerateFiles(directory).ToList(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return; }
        var euid = Identity.GetEuid();
        foreach (var file in files)
        {
            if (!AutoLogNames.IsAutoLogName(Path.GetFileName(file), daemon.Identifier)) continue;
            Files.StatxBuffer st;
            if (Files.Statx(Files.AT_FDCWD, file, Files.AT_SYMLINK_NOFOLLOW, Files.STATX_TYPE | Files.STATX_UID, &st) != 0
                || st.Uid != euid || (st.Mode & Files.S_IFMT) != Files.S_IFREG)
                continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                DaemonLog.CleanupFailed(log, file, e.Message);
            }
        }
    }
}
