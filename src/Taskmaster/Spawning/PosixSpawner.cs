// The real ISpawner: posix_spawn through glibc, never fork from managed code (a forked copy of the runtime
// cannot safely run managed code before exec).
//
// umask is a per-process attribute (it lives in the fs_struct shared by all threads), yet every program
// may want its own. So all spawns run on ONE dedicated thread that called unshare(CLONE_FS) first: it has
// a private umask (and cwd) it can change per spawn without the daemon's other threads ever seeing it, and
// posix_spawn's child inherits that thread's fs_struct. Such a thread must not create threads or start
// tasks (they would inherit its umask), so it takes work from a queue: the caller prepares everything in
// native memory and queues it (Begin), and later waits for the pid and registers the child (Collect);
// Spawn is the two back to back. Everything that may load libraries or allocate much — user lookup (NSS),
// PATH resolution, pipe creation — happens on the caller's thread. A caller with several children to start
// begins the next one before collecting the previous one, so its own work for one child overlaps the
// spawner thread's for the next instead of alternating with it (docs/BENCHMARKS.md § Design costs).
//
// The same thread also has a descriptor table of its own, nearly empty (SpawnerDescriptorTable): the child's
// copy of the table and exec's close-on-exec pass then cost the same whatever the daemon holds open. One
// more reason it must not start threads: they would share that table too.
//
// Running as another user: util-linux setpriv is used as an exec prefix
// (setpriv --reuid=U --regid=G --init-groups -- /abs/cmd args). posix_spawn cannot change ids itself, and
// the alternatives are worse: forking from managed code is unsafe; re-executing taskmasterd in a helper
// mode costs a whole NativeAOT start-up per spawn, several times the spawn itself, and a separate C
// helper would need its own build and install. setpriv execs in place, so the supervised pid is still the
// program itself.
//
// Resource limits (rlimit_*): util-linux prlimit is the same kind of exec prefix
// (prlimit --nofile=S:H ... -- /abs/cmd args): it calls setrlimit on itself and execs the command, so the limits are in
// place before the program's first instruction and the supervised pid is still the program. The alternatives are
// wrong: posix_spawn has no rlimit attribute; prlimit(2) on the new pid after posix_spawn returns races the child,
// which has already exec'd and may have read or hit its limits; and setrlimit on the daemon around the spawn would
// apply the limits to the whole daemon meanwhile (rlimits belong to the process, not the spawner thread), so a low
// nofile or fsize would fail the daemon's own opens and writes, and a lowered hard limit could never be raised again.
// prlimit comes first and setpriv second: raising a hard limit needs root, which setpriv gives up.
using System.Collections.Immutable;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;
using Taskmaster.Reaping;

namespace Taskmaster.Spawning;

/// <summary>Starts children with posix_spawn in a new session, with their own umask, cwd, environment,
/// user, default signal dispositions, empty signal mask and only fds 0-2 (0 a stdin pipe whose write end the caller
/// keeps, as supervisord gives every child). Thread-safe; spawns are serialised.</summary>
public sealed class PosixSpawner : ISpawner, IDisposable
{
    private readonly PosixSpawnerOptions _options;
    private readonly Thread _thread;
    // Spawns begun and not yet run, in order; the lock of this object guards it and _disposed, and the spawner
    // thread waits on it. No spinning anywhere: while the spawner thread sits in posix_spawn (vfork: until the
    // child has exec'd), a caller spinning for the result would take a CPU from the very child it waits for.
    private readonly Queue<QueuedSpawn> _queue = new();
    private readonly ManualResetEventSlim _threadReady = new();
    private volatile bool _disposed;
    private uint _inheritedUmask;
    private bool _privateFs;
    private SpawnerDescriptorTable? _privateTable;
    private int _sharedPidfdToClose = -1;
    private string _inheritedCwd = "/";

    public PosixSpawner(PosixSpawnerOptions? options = null)
    {
        _options = options ?? new PosixSpawnerOptions();
        _thread = new Thread(SpawnerLoop) { IsBackground = true, Name = "taskmaster-spawner" };
        _thread.Start();
        _threadReady.Wait();
        if (_sharedPidfdToClose >= 0)
            Descriptors.Close(_sharedPidfdToClose); // the spawner thread's probe, left in the table we are still on
    }

    /// <summary>False when unshare(CLONE_FS) was refused (e.g. by a seccomp filter): spawns then set the
    /// process-wide umask for the instant of posix_spawn and restore it.</summary>
    public bool HasPrivateUmask => _privateFs;

    /// <summary>False when the spawner thread could not get a descriptor table of its own (see
    /// <see cref="SpawnerDescriptorTable"/>): each spawn then copies the daemon's whole table.</summary>
    public bool HasPrivateDescriptorTable => _privateTable is not null;

    public SpawnResult Spawn(SpawnRequest request) => Begin(request).Collect();

    public string? CommandFault(SpawnRequest request, out bool missing)
    {
        missing = false;
        if (request.Argv.IsDefaultOrEmpty) return "command is empty";
        var directory = request.WorkingDirectory is { } wd ? Path.GetFullPath(wd) : _inheritedCwd;
        if (CommandResolver.TryResolve(request.Argv[0], CommandResolver.PathOf(request.Environment), directory, out var found, out var why))
            return null;
        missing = found.Length == 0;
        return why;
    }

    public PendingSpawn Begin(SpawnRequest request)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.Argv.IsDefaultOrEmpty)
            return Refused("command is empty");
        if (DescriptorReserve.Refusal() is { } tooMany)
            return Refused(tooMany);

        string? workingDirectory = null;
        if (request.WorkingDirectory is { } wd)
        {
            workingDirectory = Path.GetFullPath(wd);
            if (!Directory.Exists(workingDirectory))
                return new PendingSpawn.Done(BadDirectory(wd));
        }

        var argv = new List<string>(request.Argv.Length + 5);
        var environment = new List<KeyValuePair<string, string>>(request.Environment.IsDefault ? [] : request.Environment);
        UserAccount? switchTo = null;
        if (request.User is { } user)
        {
            var account = UserAccount.Find(user);
            if (account is null)
                return Refused($"unknown user {CommandResolver.PythonRepr(user)}");
            var euid = _options.EffectiveUidOverride ?? Identity.GetEuid();
            // Like supervisord: asking for the user we already are is not an error and needs no switch.
            if (account.Uid != euid)
            {
                if (euid != 0)
                    return Refused(
                        $"cannot switch to user {CommandResolver.PythonRepr(user)}: taskmasterd is not running as root");
                if (Files.Access(_options.SetprivPath, Files.X_OK) != 0)
                    return Refused(
                        $"cannot switch to user {CommandResolver.PythonRepr(user)}: {_options.SetprivPath} (util-linux) is missing");
                switchTo = account;
            }
        }

        if (!CommandResolver.TryResolve(request.Argv[0], CommandResolver.PathOf(environment),
                workingDirectory ?? _inheritedCwd, out var executable, out var error))
            return Refused(error!);

        if (request.Limits is { Count: > 0 } limits)
        {
            if (LimitFault(limits) is { } fault)
                return Refused(fault);
            if (Files.Access(_options.PrlimitPath, Files.X_OK) != 0)
                return Refused($"cannot set resource limits: {_options.PrlimitPath} (util-linux) is missing");
            argv.Add(_options.PrlimitPath);
            argv.AddRange(limits.Select(l => l.PrlimitOption));
            argv.Add("--");
        }

        if (switchTo is { } u)
        {
            argv.AddRange([_options.SetprivPath, $"--reuid={u.Uid}", $"--regid={u.Gid}", "--init-groups", "--", executable]);
            argv.AddRange(request.Argv.Skip(1));
            // A login-like identity, as su and sudo give: programs find their own home and name.
            environment.RemoveAll(kv => kv.Key is "HOME" or "USER" or "LOGNAME");
            environment.AddRange([new("HOME", u.Home), new("USER", u.Name), new("LOGNAME", u.Name)]);
            executable = _options.SetprivPath;
        }
        else if (argv.Count > 0)
        {
            argv.Add(executable); // after prlimit's "--": the resolved path, as prlimit would search another PATH
            argv.AddRange(request.Argv.Skip(1));
        }
        else
        {
            argv.AddRange(request.Argv);
        }
        if (request.Limits is { Count: > 0 })
            executable = _options.PrlimitPath;

        return BeginResolved(request, executable, argv, environment, workingDirectory);
    }

    /// <summary>
    /// Why the limits cannot be given (a hard limit above the daemon's own, which only root may raise), or null. Said as
    /// a spawn error before anything runs, rather than as a prlimit failure in the child's stderr log.
    /// </summary>
    private string? LimitFault(IReadOnlyList<Config.ResourceLimit> limits)
    {
        if ((_options.EffectiveUidOverride ?? Identity.GetEuid()) == 0) return null;
        foreach (var limit in limits)
            if (ResourceLimits.GetRlimit(limit.Resource, out var own) == 0 && limit.Hard > own.Max)
                return $"rlimit_{limit.Name}={limit} is above taskmasterd's own hard limit ({Config.ResourceLimit.Show(own.Max)}); only root may raise it";
        return null;
    }

    private static PendingSpawn.Done Refused(string reason) => new(new SpawnResult.Failed(reason));

    private PendingSpawn BeginResolved(SpawnRequest request, string executable, List<string> argv,
        List<KeyValuePair<string, string>> environment, string? workingDirectory)
    {
        int inRead = -1, inWrite = -1, outRead = -1, outWrite = -1, errRead = -1, errWrite = -1;
        QueuedSpawn job;
        try
        {
            if (request.StdinPipe)
                (inRead, inWrite) = CreateStdinPipe();
            if (request.Stdout == OutputRouting.Pipe)
                (outRead, outWrite) = CreatePipe();
            if (request.Stderr == OutputRouting.Pipe)
                (errRead, errWrite) = CreatePipe();
            var stderrFd = request.Stderr switch
            {
                OutputRouting.Pipe => errWrite,
                OutputRouting.SameAsStdout => -2,
                _ => -1,
            };
            var env = environment.Select(kv => $"{kv.Key}={kv.Value}").ToArray();
            var umask = (uint)(request.Umask ?? _options.DefaultUmask ?? (int)_inheritedUmask);
            // On a private table the child's ends are fetched into fixed slots, and the file actions name those.
            var (inSource, outSource, errSource) = _privateTable is { } table
                ? (inRead >= 0 ? table.StdinSlot : -1, outWrite >= 0 ? table.StdoutSlot : -1,
                   stderrFd >= 0 ? table.StderrSlot : stderrFd)
                : (inRead, outWrite, stderrFd);
            var invocation = new SpawnInvocation(executable, argv, env, workingDirectory, umask, inSource, outSource, errSource);
            job = new QueuedSpawn(request, executable, workingDirectory, invocation,
                new QueuedSpawn.Descriptors(inRead, inWrite, outRead, outWrite, errRead, errWrite));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or OutOfMemoryException)
        {
            // Out of descriptors or memory: a spawn error for this program, never a crash of the daemon.
            new QueuedSpawn.Descriptors(inRead, inWrite, outRead, outWrite, errRead, errWrite).Close(keepParentEnds: false);
            return Refused($"unknown error making dispatchers for {CommandResolver.PythonRepr(request.Argv[0])}: {e.Message}");
        }
        lock (_queue)
        {
            if (_disposed)
            {
                job.Release(spawned: false);
                throw new ObjectDisposedException(nameof(PosixSpawner));
            }
            _queue.Enqueue(job);
            Monitor.Pulse(_queue);
        }
        return job;
    }

    private unsafe (int Read, int Write) CreatePipe(bool resize = true)
    {
        var fds = stackalloc int[2];
        if (Descriptors.Pipe2(fds, Descriptors.O_CLOEXEC) != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw new IOException($"pipe2: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        if (resize && _options.PipeSize > 0)
            _ = Descriptors.Fcntl(fds[0], Descriptors.F_SETPIPE_SZ, _options.PipeSize); // best effort: may exceed the user's quota
        return (fds[0], fds[1]);
    }

    /// <summary>The child's stdin. Our write end is non-blocking: the supervision loop writes to it and must never wait
    /// on a child that does not read (a full pipe is an error for the caller, not a stall).</summary>
    private (int Read, int Write) CreateStdinPipe()
    {
        var (read, write) = CreatePipe(resize: false);
        var errno = Descriptors.SetNonBlocking(write);
        if (errno != 0)
        {
            Descriptors.Close(read);
            Descriptors.Close(write);
            throw new IOException($"fcntl(O_NONBLOCK): {Marshal.GetPInvokeErrorMessage(errno)}", errno);
        }
        return (read, write);
    }

    internal static SpawnResult.Failed MapSpawnError(int errno, SpawnRequest request, string executable, string? workingDirectory)
    {
        // The pre-checks make these rare (a race with the file system); keep supervisord's words where they exist.
        if (workingDirectory is not null && !Directory.Exists(workingDirectory))
            return BadDirectory(request.WorkingDirectory!);
        var shown = CommandResolver.PythonRepr(executable);
        return errno switch
        {
            Errno.ENOENT => new($"can't find command {shown}"),
            Errno.EACCES or Errno.EPERM => new($"no permission to run command {shown}"),
            Errno.EAGAIN => new($"Too many processes in process table to spawn {CommandResolver.PythonRepr(request.Argv[0])}"),
            _ => new($"spawn error: {Marshal.GetPInvokeErrorMessage(errno)}"),
        };
    }

    /// <summary>Undoes a spawn whose child could not be registered with the reaper (pidfd_open or epoll_ctl
    /// failed, typically EMFILE): kills it and reaps it here, since no one else will.</summary>
    internal static SpawnResult.Failed KillUnwatched(int pid, int errno, SpawnRequest request)
    {
        Signals.Kill(-pid, Signals.SIGKILL); // its group, in case it already started a helper
        Signals.Kill(pid, Signals.SIGKILL);
        BlockingWait.For(pid);
        var name = CommandResolver.PythonRepr(request.Argv[0]);
        return errno is Errno.EMFILE or Errno.ENFILE
            ? new($"too many open files to spawn {name}")
            : new($"unknown error watching {name}: {Marshal.GetPInvokeErrorMessage(errno)}");
    }

    private static SpawnResult.Failed BadDirectory(string directory) =>
        new($"bad directory {CommandResolver.PythonRepr(directory)}");

    private void SpawnerLoop()
    {
        _privateFs = Processes.Unshare(Processes.CLONE_FS) == 0;
        if (_options.PrivateDescriptorTable)
            _privateTable = SpawnerDescriptorTable.TryLeaveSharedTable(out _sharedPidfdToClose);
        _inheritedUmask = Processes.Umask(0b000_010_010 /* 022 */);
        Processes.Umask(_inheritedUmask);
        _inheritedCwd = Directory.GetCurrentDirectory();
        _threadReady.Set();

        // From here on: no allocation-heavy work, no tasks, no threads; only umask and posix_spawn. Whatever was
        // queued before Dispose still runs, so no caller waits forever in Collect.
        while (true)
        {
            QueuedSpawn job;
            lock (_queue)
            {
                while (_queue.Count == 0)
                {
                    if (_disposed)
                        return;
                    Monitor.Wait(_queue);
                }
                job = _queue.Dequeue();
            }
            var previous = Processes.Umask(job.Invocation.Umask);
            int pid;
            var rc = _privateTable is { } table
                ? RunFromPrivateTable(table, job.Invocation, job.Fds.ChildEnds, out pid)
                : job.Invocation.Run(out pid);
            if (!_privateFs)
                Processes.Umask(previous);
            job.Complete(rc, pid);
        }
    }

    /// <summary>On the spawner thread, private table: fetches the child's ends into their slots, spawns, lets go of them.</summary>
    private static int RunFromPrivateTable(SpawnerDescriptorTable table, SpawnInvocation invocation,
        (int Stdin, int Stdout, int Stderr) shared, out int pid)
    {
        pid = 0;
        try
        {
            int errno;
            if (shared.Stdin >= 0 && (errno = table.Bring(shared.Stdin, table.StdinSlot)) != 0)
                return errno;
            if (shared.Stdout >= 0 && (errno = table.Bring(shared.Stdout, table.StdoutSlot)) != 0)
                return errno;
            if (shared.Stderr >= 0 && (errno = table.Bring(shared.Stderr, table.StderrSlot)) != 0)
                return errno;
            return invocation.Run(out pid);
        }
        finally
        {
            table.Clear();
        }
    }

    public void Dispose()
    {
        lock (_queue)
        {
            if (_disposed)
                return;
            _disposed = true;
            Monitor.PulseAll(_queue);
        }
        _thread.Join();
    }
}
