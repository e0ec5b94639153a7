using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Spawning;

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
        var euid = LibC.GetEuid();
        foreach (var file in files)
        {
            if (!AutoLogNames.IsAutoLogName(Path.GetFileName(file), daemon.Identifier)) continue;
            LibC.StatxBuffer st;
            if (LibC.Statx(LibC.AT_FDCWD, file, 0x100 /* AT_SYMLINK_NOFOLLOW */, LibC.STATX_TYPE | LibC.STATX_UID, &st) != 0
                || st.Uid != euid || (st.Mode & LibC.S_IFMT) != LibC.S_IFREG)
                continue;
            try { File.Delete(file); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                DaemonLog.CleanupFailed(log, file, e.Message);
            }
        }
    }
}
