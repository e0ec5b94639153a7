// One spawn of PosixSpawner between Begin and Collect: its prepared invocation waits in the spawner's queue, runs on
// the spawner thread, and is collected on the caller's thread, which then watches the child and takes its pipes.
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;
using Taskmaster.Reaping;

namespace Taskmaster.Spawning;

/// <summary>A spawn queued on <see cref="PosixSpawner"/>'s thread.</summary>
internal sealed class QueuedSpawn(SpawnRequest request, string executable, string? workingDirectory,
    SpawnInvocation invocation, QueuedSpawn.Descriptors fds) : PendingSpawn
{
    private readonly object _gate = new();
    private bool _done, _collected;
    private int _errno, _pid;

    /// <summary>The pipes made for the child: its ends (which it gets copies of, ours close once it is spawned) and
    /// ours (which the caller gets when it started). -1 where there is none.</summary>
    internal readonly record struct Descriptors(int StdinRead, int StdinWrite, int StdoutRead, int StdoutWrite,
        int StderrRead, int StderrWrite)
    {
        public (int Stdin, int Stdout, int Stderr) ChildEnds => (StdinRead, StdoutWrite, StderrWrite);

        public void Close(bool keepParentEnds)
        {
            // The child holds its own copies of the ends it uses; ours must go, or the reader never sees EOF (and a
            // child that closes its stdin would not make our writes fail with EPIPE).
            CloseIfOpen(StdinRead);
            CloseIfOpen(StdoutWrite);
            CloseIfOpen(StderrWrite);
            if (keepParentEnds)
                return;
            CloseIfOpen(StdinWrite);
            CloseIfOpen(StdoutRead);
            CloseIfOpen(StderrRead);
        }

        private static void CloseIfOpen(int fd)
        {
            if (fd >= 0)
                Posix.Descriptors.Close(fd);
        }
    }

    public SpawnInvocation Invocation => invocation;
    public Descriptors Fds => fds;

    /// <summary>On the spawner thread: posix_spawn's result (0 or an errno) and the pid.</summary>
    public void Complete(int errno, int pid)
    {
        lock (_gate)
        {
            _errno = errno;
            _pid = pid;
            _done = true;
            Monitor.Pulse(_gate);
        }
    }

    public override SpawnResult Collect()
    {
        lock (_gate)
        {
            if (_collected)
                throw new InvalidOperationException("a spawn is collected once");
            _collected = true;
            while (!_done)
                Monitor.Wait(_gate);
        }
        var started = false;
        try
        {
            if (_errno != 0)
                return PosixSpawner.MapSpawnError(_errno, request, executable, workingDirectory);
            // Watched before anyone learns the pid, so no exit can go unreported; a child we cannot watch is not
            // left running unsupervised.
            var watchErrno = ChildReaper.Register(_pid);
            if (watchErrno != 0)
                return PosixSpawner.KillUnwatched(_pid, watchErrno, request);
            started = true;
            return new SpawnResult.Started(_pid,
                fds.StdoutRead < 0 ? null : new SafeFileHandle(fds.StdoutRead, ownsHandle: true),
                fds.StderrRead < 0 ? null : new SafeFileHandle(fds.StderrRead, ownsHandle: true),
                fds.StdinWrite < 0 ? null : new SafeFileHandle(fds.StdinWrite, ownsHandle: true));
        }
        finally
        {
            Release(started);
        }
    }

    /// <summary>Frees the native invocation and the descriptors the caller does not take over.</summary>
    public void Release(bool spawned)
    {
        invocation.Dispose();
        fds.Close(keepParentEnds: spawned);
    }
}
