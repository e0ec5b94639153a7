// The calls about processes other than starting and signalling them: waiting for them (waitpid, waitid on a pidfd,
// with the siginfo_t offsets the reaper reads), pidfds, process groups, the child-subreaper role, and the
// per-thread state the spawner changes (umask through unshare(CLONE_FS), the descriptor table through
// unshare(CLONE_FILES)).
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>wait, pidfd, getpgid, prctl, unshare and umask.</summary>
public static unsafe partial class Processes
{
    private const string Lib = "libc";

    public const int P_ALL = 0, P_PIDFD = 3;
    public const int WNOHANG = 1, WEXITED = 4, WNOWAIT = 0x01000000;
    public const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;
    public const int CLONE_FS = 0x200, CLONE_FILES = 0x400;
    public const int PR_SET_CHILD_SUBREAPER = 36;

    /// <summary>siginfo_t is 128 bytes; for SIGCHLD-style infos si_code is at 8, si_pid at 16, si_status at 24.</summary>
    public const int SiginfoBytes = 128, SiCodeOffset = 8, SiPidOffset = 16, SiStatusOffset = 24;

    [LibraryImport(Lib, EntryPoint = "waitpid", SetLastError = true)]
    public static partial int WaitPid(int pid, int* status, int options);

    [LibraryImport(Lib, EntryPoint = "waitid", SetLastError = true)]
    public static partial int WaitId(int idType, int id, void* siginfo, int options);

    /// <summary>A descriptor that refers to this very process (not to whatever later reuses its pid) and
    /// becomes readable when it exits; glibc 2.36+ (the kernel call is 5.3+). Always close-on-exec.</summary>
    [LibraryImport(Lib, EntryPoint = "pidfd_open", SetLastError = true)]
    public static partial int PidfdOpen(int pid, uint flags);

    /// <summary>A copy, in the caller's descriptor table, of descriptor <paramref name="targetFd"/> of the process
    /// behind <paramref name="pidFd"/> (always close-on-exec); glibc 2.36+, kernel 5.6+.</summary>
    [LibraryImport(Lib, EntryPoint = "pidfd_getfd", SetLastError = true)]
    public static partial int PidfdGetfd(int pidFd, int targetFd, uint flags);

    /// <summary>The process group of <paramref name="pid"/> (a zombie keeps its own until it is reaped), or -1.</summary>
    [LibraryImport(Lib, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetPgid(int pid);

    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

    [LibraryImport(Lib, EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport(Lib, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);
}
