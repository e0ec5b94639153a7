// The init role's system calls: one posix_spawn of the daemon, and the waits of a process that reaps everyone.
using System.Runtime.InteropServices;
using System.Text;
using Taskmaster.Posix;
using Taskmaster.Reaping;

namespace Taskmaster.Daemon;

internal static unsafe partial class InitRole
{
    /// <summary>
    /// posix_spawn of <paramref name="argv"/> with the standard streams, session and process group of the init
    /// (so `docker run -it` and Ctrl-C behave as for any foreground program), every signal at its default and
    /// none blocked: the runtime ignores SIGPIPE in the init, and the daemon must start as the container runtime
    /// would have started it. Returns the pid, or -1 with <paramref name="error"/>.
    /// </summary>
    private static int SpawnDaemon(string[] argv, string[] environment, out string error)
    {
        var strings = new List<nint>();
        var argvBlock = (byte**)NativeMemory.AllocZeroed((nuint)((argv.Length + 1) * sizeof(byte*)));
        var envBlock = (byte**)NativeMemory.AllocZeroed((nuint)((environment.Length + 1) * sizeof(byte*)));
        var attr = NativeMemory.AllocZeroed(ProcessSpawn.OpaqueObjectBytes);
        var attrReady = false;
        try
        {
            for (var i = 0; i < argv.Length; i++) argvBlock[i] = Utf8(argv[i], strings);
            for (var i = 0; i < environment.Length; i++) envBlock[i] = Utf8(environment[i], strings);

            var rc = ProcessSpawn.PosixSpawnattrInit(attr);
            attrReady = rc == 0;
            if (rc == 0)
                rc = ProcessSpawn.PosixSpawnattrSetflags(attr, ProcessSpawn.POSIX_SPAWN_SETSIGMASK | ProcessSpawn.POSIX_SPAWN_SETSIGDEF);
            var sigset = stackalloc byte[Signals.SigsetBytes];
            new Span<byte>(sigset, Signals.SigsetBytes).Clear();
            if (rc == 0)
                rc = ProcessSpawn.PosixSpawnattrSetsigmask(attr, sigset);
            *(ulong*)sigset = ulong.MaxValue; // signals 1..64
            if (rc == 0)
                rc = ProcessSpawn.PosixSpawnattrSetsigdefault(attr, sigset);
            var pid = 0;
            if (rc == 0)
                rc = ProcessSpawn.PosixSpawn(out pid, argvBlock[0], null, attr, argvBlock, envBlock);
            error = rc == 0 ? "" : $"{argv[0]}: {ErrorText(rc)}";
            return rc == 0 ? pid : -1;
        }
        finally
        {
            if (attrReady) ProcessSpawn.PosixSpawnattrDestroy(attr);
            NativeMemory.Free(attr);
            foreach (var s in strings) NativeMemory.Free((void*)s);
            NativeMemory.Free(argvBlock);
            NativeMemory.Free(envBlock);
        }
    }

    private static byte* Utf8(string text, List<nint> owned)
    {
        var count = Encoding.UTF8.GetByteCount(text);
        var buffer = (byte*)NativeMemory.Alloc((nuint)count + 1);
        owned.Add((nint)buffer);
        Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, count));
        buffer[count] = 0;
        return buffer;
    }

    /// <summary>Blocks until some child has exited and returns its pid WITHOUT reaping it, or -1 when there is no child.</summary>
    private static int WaitForAnyExit()
    {
        var siginfo = stackalloc byte[Processes.SiginfoBytes];
        while (true)
        {
            new Span<byte>(siginfo, Processes.SiginfoBytes).Clear();
            if (Processes.WaitId(Processes.P_ALL, 0, siginfo, Processes.WEXITED | Processes.WNOWAIT) == 0)
                return *(int*)(siginfo + Processes.SiPidOffset);
            if (Marshal.GetLastPInvokeError() != Errno.EINTR)
                return -1;
        }
    }

    /// <summary>Reaps <paramref name="pid"/>, which has exited, and decodes its status.</summary>
    private static ExitStatus Reap(int pid) => BlockingWait.For(pid) ?? ExitStatus.Exited(DaemonCommandLine.ExitError);

    /// <summary>Reaps one child that has already exited; returns its pid, or 0 / -1 when there is none.</summary>
    private static int ReapAnyFinished()
    {
        int status;
        return Processes.WaitPid(-1, &status, Processes.WNOHANG);
    }
}
