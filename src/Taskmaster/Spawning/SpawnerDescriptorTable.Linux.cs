// The spawner thread's own, nearly empty descriptor table.
//
// posix_spawn's child starts with a copy of the spawning thread's descriptor table (clone without CLONE_FILES),
// and exec then closes every close-on-exec entry one by one. A daemon supervising N programs holds ~4N
// descriptors (stdin, stdout pipe ends, pidfd, log file), so every spawn would pay O(N) twice (docs/BENCHMARKS.md,
// "Scale-up of 1000 (third round)", has the profile and the figures).
//
// So the spawner thread leaves the process's table: unshare(CLONE_FILES) gives it a private copy, which it
// empties at once (/dev/null on 0-2, everything else closed but the runtime's memfds, below; closing its copies
// does not touch the daemon's). A spawn then brings over just the child's three ends with pidfd_getfd(2) from
// the process's table into slots of this table, spawns, and closes them again: the child's copy and its exec
// cost the same at 1 program or 10 000.
//
// Set up only when pidfd_getfd works (a seccomp profile may refuse it): it is tried before leaving the shared
// table, since a private table that cannot fetch the pipes could not spawn anything. Otherwise spawns stay on
// the shared table.
//
// The runtime keeps process-wide descriptors it uses from any thread, by number. Two matter here:
//   - under the JIT with W^X on (the runtime's default), executable memory is double-mapped through a memfd
//     ("doublemapper", made at start-up): every method compiled, every stub patched, maps a view of it by
//     number, on whatever thread needs it. Had this thread closed its copy, the first method compiled here
//     would abort the process (mmap: EBADF, then "Out of memory" and SIGABRT). So the runtime's memfds stay open
//     at their numbers in the private table: the same open files as in the shared one, so the mappings are the
//     same memory. Our own code never makes a memfd; they are close-on-exec, so no child ever sees them.
//     NativeAOT and a JIT with W^X off have none, and nothing changes for them.
//   - signal handlers write to a notification pipe: on this thread that number would name another file or
//     none. So the thread blocks the asynchronous signals; the process's other threads take them (children get
//     an empty mask from posix_spawn). Fault signals stay open: the runtime turns SIGSEGV into exceptions.
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Spawning;

internal sealed unsafe class SpawnerDescriptorTable
{
    /// <summary>The process's pidfd, in the private table: the handle pidfd_getfd reads the daemon's table through.</summary>
    private readonly int _processSlot;

    /// <summary>Where the child's ends sit in the spawner's table for the file actions (dup2 onto 0, 1, 2).</summary>
    public int StdinSlot { get; }
    public int StdoutSlot { get; }
    public int StderrSlot { get; }

    private SpawnerDescriptorTable(int processSlot, int stdinSlot, int stdoutSlot, int stderrSlot)
    {
        _processSlot = processSlot;
        StdinSlot = stdinSlot;
        StdoutSlot = stdoutSlot;
        StderrSlot = stderrSlot;
    }

    /// <summary>
    /// On the spawner thread: leaves the shared table, or returns null (and stays on it) when descriptors could
    /// not be fetched from it. <paramref name="sharedPidfd"/> is a pidfd left open in the SHARED table, which a
    /// thread still on that table must close; -1 when none was opened.
    /// </summary>
    public static SpawnerDescriptorTable? TryLeaveSharedTable(out int sharedPidfd)
    {
        sharedPidfd = Processes.PidfdOpen(Environment.ProcessId, 0);
        if (sharedPidfd < 0)
            return null;
        var probe = Processes.PidfdGetfd(sharedPidfd, sharedPidfd, 0);
        if (probe < 0)
            return null;
        Descriptors.Close(probe);
        BlockAsynchronousSignals();
        if (Processes.Unshare(Processes.CLONE_FILES) != 0)
            return null;

        // Private from here: nothing below affects the daemon's descriptors. The copy is read through
        // /proc/thread-self, which shows this thread's table, not the process leader's.
        var runtimeOwned = RuntimeMemfds();
        var free = Enumerable.Range(3, int.MaxValue - 3).Where(fd => !runtimeOwned.Contains(fd)).Take(4).ToArray();
        var table = new SpawnerDescriptorTable(free[0], free[1], free[2], free[3]);

        var devNull = Descriptors.Open("/dev/null", Descriptors.O_RDWR | Descriptors.O_CLOEXEC);
        for (var fd = 0; fd <= 2 && devNull >= 0; fd++)
            if (devNull != fd && !runtimeOwned.Contains(fd)) Descriptors.Dup3(devNull, fd, 0);
        if (sharedPidfd != table._processSlot && Descriptors.Dup3(sharedPidfd, table._processSlot, Descriptors.O_CLOEXEC) < 0)
            Environment.FailFast($"taskmaster-spawner: dup3 in its own descriptor table failed: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}");
        CloseAllBut(keep: fd => fd <= 2 || fd == table._processSlot || runtimeOwned.Contains(fd));
        return table;
    }

    /// <summary>The memfds in this thread's table: the runtime's (see the file's header), kept at their numbers.</summary>
    private static HashSet<int> RuntimeMemfds()
    {
        var memfds = new HashSet<int>();
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/thread-self/fd"))
        {
            if (int.TryParse(Path.GetFileName(entry), out var fd)
                && new FileInfo(entry).LinkTarget is { } target && target.StartsWith("/memfd:", StringComparison.Ordinal))
                memfds.Add(fd);
        }
        return memfds;
    }

    private static void CloseAllBut(Func<int, bool> keep)
    {
        var open = Directory.EnumerateFileSystemEntries("/proc/thread-self/fd")
            .Select(entry => int.TryParse(Path.GetFileName(entry), out var fd) ? fd : -1)
            .Where(fd => fd >= 0)
            .ToArray(); // read whole before closing: the enumeration holds a descriptor of its own
        foreach (var fd in open)
            if (!keep(fd)) Descriptors.Close(fd);
    }

    private static void BlockAsynchronousSignals()
    {
        ulong set = 0;
        for (var signal = 1; signal <= 31; signal++)
            if (signal is not (4 or 5 or 6 or 7 or 8 or 11 or 31)) // SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGSEGV, SIGSYS
                set |= 1UL << (signal - 1);
        var sigset = stackalloc byte[Signals.SigsetBytes];
        new Span<byte>(sigset, Signals.SigsetBytes).Clear();
        *(ulong*)sigset = set;
        Signals.PthreadSigmask(Signals.SIG_BLOCK, sigset, null);
    }

    /// <summary>Copies the daemon's descriptor <paramref name="sharedFd"/> into <paramref name="slot"/>; 0 or an errno.</summary>
    public int Bring(int sharedFd, int slot)
    {
        var fd = Processes.PidfdGetfd(_processSlot, sharedFd, 0);
        if (fd < 0)
            return Marshal.GetLastPInvokeError();
        if (fd == slot)
            return 0;
        var errno = Descriptors.Dup3(fd, slot, Descriptors.O_CLOEXEC) < 0 ? Marshal.GetLastPInvokeError() : 0;
        Descriptors.Close(fd);
        return errno;
    }

    /// <summary>Closes the slots once the child holds its own copies.</summary>
    public void Clear()
    {
        Descriptors.Close(StdinSlot);
        Descriptors.Close(StdoutSlot);
        Descriptors.Close(StderrSlot);
    }
}
