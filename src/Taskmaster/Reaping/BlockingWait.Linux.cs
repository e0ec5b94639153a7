// waitpid(pid) for the few places that reap a child themselves instead of leaving it to ChildReaper: a child the
// reaper could not watch (PosixSpawner), the daemon under the init role, the detached copy that failed to start.
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Reaping;

/// <summary>Blocks until one given child has exited and reaps it, retrying on EINTR.</summary>
public static unsafe class BlockingWait
{
    /// <summary>The child's exit, or null when it cannot be waited for (not our child, or already reaped).</summary>
    public static ExitStatus? For(int pid)
    {
        int status = 0, rc;
        do rc = Processes.WaitPid(pid, &status, 0);
        while (rc < 0 && Marshal.GetLastPInvokeError() == Errno.EINTR);
        return rc == pid ? ExitStatus.FromWaitStatus(status) : null;
    }
}
