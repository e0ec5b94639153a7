using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Signalling;

/// <summary>kill(2) on a child or, with <c>toGroup</c>, on its whole process group (kill(-pgid)).</summary>
public sealed class ProcessSignaller : IProcessSignaller
{
    public int Signal(int pid, int signal, bool toGroup)
    {
        // pid 0 or -1 would signal our own group or every process we may signal: never what the caller meant.
        if (pid <= 1)
            return Errno.ESRCH;
        return Signals.Kill(toGroup ? -pid : pid, signal) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    // EPERM also means "someone is there": a member that changed its user may not be signalled, but it exists.
    public bool GroupHasMembers(int pgid) =>
        pgid > 1 && (Signals.Kill(-pgid, 0) == 0 || Marshal.GetLastPInvokeError() == Errno.EPERM);

    public IReadOnlyList<int> GroupMembers(int pgid) => pgid > 1 ? ProcStat.LiveMembersOf(pgid) : [];
}
