// One posix_spawn call, fully prepared in native memory on the caller's thread so the spawner thread only
// sets its umask and calls posix_spawn.
//
// What the child gets, in the order glibc applies it (after clone(CLONE_VM|CLONE_VFORK), before exec):
//   - setsid()                             POSIX_SPAWN_SETSID: own session and process group, so a group
//                                          signal reaches its descendants and the daemon's terminal never does;
//   - every signal 1..64 back to SIG_DFL   POSIX_SPAWN_SETSIGDEF with all bits set by hand (sigfillset leaves
//                                          32 and 33 out, which would keep them ignored); .NET ignores SIGPIPE
//                                          in the daemon and a child must not inherit that;
//   - an empty signal mask                 POSIX_SPAWN_SETSIGMASK;
//   - fd 0 = the stdin pipe's read end, fd 1/2 = the pipe write ends or /dev/null, chdir, then closefrom(3) so not one
//     daemon descriptor (sockets, log files, other children's pipes) leaks into the child.
using System.Runtime.InteropServices;
using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Spawning;

internal sealed unsafe class SpawnInvocation : IDisposable
{
    private readonly void* _attr;
    private readonly void* _fileActions;
    private readonly byte* _strings;
    private readonly byte** _argv;
    private readonly byte** _envp;
    private readonly byte* _path;
    private bool _attrReady, _fileActionsReady, _disposed;

    /// <summary>umask the spawner thread applies before this spawn.</summary>
    public uint Umask { get; }

    /// <param name="stdinFd">Pipe read end for fd 0, or -1 for /dev/null.</param>
    /// <param name="stdoutFd">Pipe write end for fd 1, or -1 for /dev/null.</param>
    /// <param name="stderrFd">Pipe write end for fd 2, -1 for /dev/null, or -2 for "same as fd 1".</param>
    public SpawnInvocation(string path, IReadOnlyList<string> argv, IReadOnlyList<string> environment,
        string? workingDirectory, uint umask, int stdinFd, int stdoutFd, int stderrFd)
    {
        Umask = umask;
        const string devNull = "/dev/null";

        // All strings in one block: path, /dev/null, working directory, argv, envp (each NUL-terminated).
        var total = Size(path) + Size(devNull) + (workingDirectory is null ? 0 : Size(workingDirectory));
        foreach (var a in argv) total += Size(a);
        foreach (var e in environment) total += Size(e);
        _strings = (byte*)NativeMemory.Alloc((nuint)total);
        _argv = (byte**)NativeMemory.Alloc((nuint)((argv.Count + 1) * sizeof(byte*)));
        _envp = (byte**)NativeMemory.Alloc((nuint)((environment.Count + 1) * sizeof(byte*)));

        var cursor = _strings;
        _path = Put(ref cursor, path);
        var devNullPtr = Put(ref cursor, devNull);
        var cwdPtr = workingDirectory is null ? null : Put(ref cursor, workingDirectory);
        for (var i = 0; i < argv.Count; i++) _argv[i] = Put(ref cursor, argv[i]);
        _argv[argv.Count] = null;
        for (var i = 0; i < environment.Count; i++) _envp[i] = Put(ref cursor, environment[i]);
        _envp[environment.Count] = null;

        _attr = NativeMemory.AllocZeroed(ProcessSpawn.OpaqueObjectBytes);
        _fileActions = NativeMemory.AllocZeroed(ProcessSpawn.OpaqueObjectBytes);
        try
        {
            Check(ProcessSpawn.PosixSpawnattrInit(_attr), "posix_spawnattr_init");
            _attrReady = true;
            Check(ProcessSpawn.PosixSpawnattrSetflags(_attr,
                ProcessSpawn.POSIX_SPAWN_SETSID | ProcessSpawn.POSIX_SPAWN_SETSIGMASK | ProcessSpawn.POSIX_SPAWN_SETSIGDEF), "setflags");
            var sigset = stackalloc byte[Signals.SigsetBytes];
            new Span<byte>(sigset, Signals.SigsetBytes).Clear();
            Check(ProcessSpawn.PosixSpawnattrSetsigmask(_attr, sigset), "setsigmask");
            *(ulong*)sigset = ulong.MaxValue; // signals 1..64, including glibc's internal 32 and 33
            Check(ProcessSpawn.PosixSpawnattrSetsigdefault(_attr, sigset), "setsigdefault");

            Check(ProcessSpawn.FileActionsInit(_fileActions), "posix_spawn_file_actions_init");
            _fileActionsReady = true;
            Check(stdinFd >= 0
                ? ProcessSpawn.FileActionsAddDup2(_fileActions, stdinFd, 0)
                : ProcessSpawn.FileActionsAddOpen(_fileActions, 0, devNullPtr, Descriptors.O_RDONLY, 0), "stdin");
            Check(stdoutFd >= 0
                ? ProcessSpawn.FileActionsAddDup2(_fileActions, stdoutFd, 1)
                : ProcessSpawn.FileActionsAddOpen(_fileActions, 1, devNullPtr, Descriptors.O_WRONLY, 0), "stdout");
            Check(stderrFd switch
            {
                >= 0 => ProcessSpawn.FileActionsAddDup2(_fileActions, stderrFd, 2),
                -2 => ProcessSpawn.FileActionsAddDup2(_fileActions, 1, 2),
                _ => ProcessSpawn.FileActionsAddOpen(_fileActions, 2, devNullPtr, Descriptors.O_WRONLY, 0),
            }, "stderr");
            if (cwdPtr != null)
                Check(ProcessSpawn.FileActionsAddChdir(_fileActions, cwdPtr), "addchdir");
            Check(ProcessSpawn.FileActionsAddClosefrom(_fileActions, 3), "addclosefrom");
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Calls posix_spawn. Returns 0 or the errno (exec and file-action failures included).</summary>
    public int Run(out int pid) => ProcessSpawn.PosixSpawn(out pid, _path, _fileActions, _attr, _argv, _envp);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        if (_fileActionsReady) ProcessSpawn.FileActionsDestroy(_fileActions);
        if (_attrReady) ProcessSpawn.PosixSpawnattrDestroy(_attr);
        _fileActionsReady = _attrReady = false;
        NativeMemory.Free(_fileActions);
        NativeMemory.Free(_attr);
        NativeMemory.Free(_envp);
        NativeMemory.Free(_argv);
        NativeMemory.Free(_strings);
    }

    private static int Size(string s) => Encoding.UTF8.GetByteCount(s) + 1;

    private static byte* Put(ref byte* cursor, string s)
    {
        var start = cursor;
        var n = Encoding.UTF8.GetBytes(s, new Span<byte>(cursor, Encoding.UTF8.GetByteCount(s)));
        cursor[n] = 0;
        cursor += n + 1;
        return start;
    }

    private static void Check(int rc, string what)
    {
        if (rc != 0)
            throw new InvalidOperationException($"{what}: {Marshal.GetPInvokeErrorMessage(rc)}");
    }
}
