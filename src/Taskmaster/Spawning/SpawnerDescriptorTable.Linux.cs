// The spawner thread's own, nearly empty descriptor table.
//
// posix_spawn's child starts with a copy of the spawning thread's descriptor table (clone without CLONE_FILES),
// and exec then closes every close-on-exec entry one by one. A daemon supervising N programs holds ~4N
// descriptors (stdin, stdout pipe ends, pidfd, log file), so every spawn paid O(N) twice: perf of 1000 programs
// starting showed a third of all samples in dup_fd and the close-on-exec loop (filp_flush, fput) of the
// spawner thread, and a posix_spawn + wait measured 77 µs with 10 descriptors open, 189 µs with 4000.
//
// So the spawner thread leaves the process's table: unshare(CLONE_FILES) gives it a private copy, which it
// empties at once (/dev/null on 0-2, everything else closed; closing its copies does not touch the daemon's).
// A spawn then brings over just the child's three ends with pidfd_getfd(2) from the process's table into fixed
// slots, spawns, and closes them again: the child's copy and its exec cost the same at 1 program or 10 000.
//
// Set up only when pidfd_getfd works (a seccomp profile may refuse it): it is tried before leaving the shared
// table, since a private table that cannot fetch the pipes could not spawn anything. Otherwise spawns stay on
// the shared table, as before.
//
// The runtime keeps process-wide descriptors it may use from any thread, by number. Two matter here:
//   - the JIT's double-mapped code (W^X, on by default) maps executable memory through a memfd: a method first
//     compiled on this thread would fail with "Out of memory". NativeAOT compiles nothing at run time, and a JIT
//     process started with DOTNET_EnableWriteXorExecute=0 maps anonymous memory; anywhere else the thread
//     stays on the shared table;
//   - signal handlers write to a notification pipe: on this thread that number would name another file or
//     none. So the thread blocks the asynchronous signals; the process's other threads take them (children get
//     an empty mask from posix_spawn). Fault signals stay open: the runtime turns SIGSEGV into exceptions.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

internal static unsafe class SpawnerDescriptorTable
{
    /// <summary>Where the child's ends sit in the spawner's table for the file actions (dup2 onto 0, 1, 2).</summary>
    public const int StdinSlot = 4, StdoutSlot = 5, StderrSlot = 6;

    /// <summary>The process's pidfd, in the private table: the handle pidfd_getfd reads the daemon's table through.</summary>
    private const int ProcessSlot = 3;

    /// <summary>
    /// On the spawner thread: leaves the shared table, or returns false (and stays on it) when descriptors
    /// could not be fetched from it. <paramref name="sharedPidfd"/> is a pidfd left open in the SHARED table,
    /// which a thread still on that table must close; -1 when none was opened.
    /// </summary>
    public static bool TryLeaveSharedTable(out int sharedPidfd)
    {
        sharedPidfd = -1;
        if (RuntimeFeature.IsDynamicCodeCompiled && Environment.GetEnvironmentVariable("DOTNET_EnableWriteXorExecute") != "0")
            return false;
        sharedPidfd = LibC.PidfdOpen(Environment.ProcessId, 0);
        if (sharedPidfd < 0)
            return false;
        var probe = LibC.PidfdGetfd(sharedPidfd, sharedPidfd, 0);
        if (probe < 0)
            return false;
        LibC.Close(probe);
        BlockAsynchronousSignals();
        if (LibC.Unshare(LibC.CLONE_FILES) != 0)
            return false;

        // Private from here: nothing below affects the daemon's descriptors.
        var devNull = LibC.Open("/dev/null", LibC.O_RDWR);
        for (var fd = 0; fd <= 2 && devNull >= 0; fd++)
            if (devNull != fd) LibC.Dup3(devNull, fd, 0);
        if (sharedPidfd != ProcessSlot && LibC.Dup3(sharedPidfd, ProcessSlot, LibC.O_CLOEXEC) < 0)
            Environment.FailFast($"taskmaster-spawner: dup3 in its own descriptor table failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        LibC.CloseRange(ProcessSlot + 1, uint.MaxValue, 0);
        return true;
    }

    private static void BlockAsynchronousSignals()
    {
        ulong set = 0;
        for (var signal = 1; signal <= 31; signal++)
            if (signal is not (4 or 5 or 6 or 7 or 8 or 11 or 31)) // SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS
                set |= 1UL << (signal - 1);
        var sigset = stackalloc byte[LibC.SigsetBytes];
        new Span<byte>(sigset, LibC.SigsetBytes).Clear();
        *(ulong*)sigset = set;
        LibC.PthreadSigmask(LibC.SIG_BLOCK, sigset, null);
    }

    /// <summary>Copies the daemon's descriptor <paramref name="sharedFd"/> into <paramref name="slot"/>; 0 or an errno.</summary>
    public static int Bring(int sharedFd, int slot)
    {
        var fd = LibC.PidfdGetfd(ProcessSlot, sharedFd, 0);
        if (fd < 0)
            return Marshal.GetLastPInvokeError();
        if (fd == slot)
            return 0;
        var errno = LibC.Dup3(fd, slot, LibC.O_CLOEXEC) < 0 ? Marshal.GetLastPInvokeError() : 0;
        LibC.Close(fd);
        return errno;
    }

    /// <summary>Closes the slots once the child holds its own copies.</summary>
    public static void Clear()
    {
        LibC.Close(StdinSlot);
        LibC.Close(StdoutSlot);
        LibC.Close(StderrSlot);
    }
}
