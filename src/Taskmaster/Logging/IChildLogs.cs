using Microsoft.Win32.SafeHandles;
using Taskmaster.Config;

namespace Taskmaster.Logging;

/// <summary>
/// Captures children's output into their log files. The engine hands over the pipe read ends right
/// after a spawn; from then on the capture owns them and reads until end of file, so everything a
/// child wrote before it died reaches its file, whatever the engine does meanwhile.
/// </summary>
public interface IChildLogs : IDisposable
{
    /// <summary>Starts draining <paramref name="stdoutPipe"/> / <paramref name="stderrPipe"/> (either may be null)
    /// into the targets of <paramref name="process"/>, showing each stream to its tap, if any, and counting the bytes
    /// read in <paramref name="counters"/> when given. Returns at once; never blocks the caller.</summary>
    void Attach(ProcessConfig process, SafeFileHandle? stdoutPipe, SafeFileHandle? stderrPipe,
        IOutputTap? stdoutTap = null, IOutputTap? stderrTap = null, OutputCounters? counters = null);

    /// <summary>
    /// Before a batch of spawns (autostart, <c>start all</c>, a reload's additions): creates, off the caller's
    /// thread and in the given order, the log files of <paramref name="processes"/> that do not exist yet, so
    /// each spawn finds its file and only opens it. Returns at once; the task completes when the files are made
    /// (callers need not wait: a spawn that gets there first creates its file itself). The default does nothing.
    /// </summary>
    Task Prepare(IEnumerable<ProcessConfig> processes) => Task.CompletedTask;

    /// <summary>Truncates the process's log files (and removes rotated backups), as supervisorctl's <c>clear</c>.</summary>
    void Clear(ProcessConfig process);

    /// <summary>Closes and reopens every open log file (SIGUSR2), so an external rotation takes effect.</summary>
    void ReopenAll();

    /// <summary>
    /// A reload changed settings of a running process that do not need a new child (log <c>maxbytes</c> and
    /// <c>backups</c>): from now on, rotate its files by <paramref name="process"/>'s targets. The paths are the
    /// same (a new path restarts the process). The default does nothing: the new limits apply at the next spawn.
    /// </summary>
    void Retarget(ProcessConfig process) { }
}
