// glibc entry points the spawner, the reaper, the signaller, the log capture (Logging/PipeReactor,
// PipeReads), taskmasterd and taskmasterctl's interruptible stdin need, declared once; plus the epoll helpers
// both epoll loops (the reaper, the pipe reactor) share, since the struct epoll_event layout is known here.
// Only x86-64 / aarch64 glibc is supported: both use the same generic layouts for the few structs
// touched here (struct passwd, struct statx, the first word of struct sigaction), and opaque spawn
// objects are given generously sized native blocks instead of mirroring their private layouts.
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Taskmaster.Spawning;

internal static unsafe partial class LibC
{
    private const string Lib = "libc";

    public const int EINTR = 4, ECHILD = 10, EAGAIN = 11, ENOMEM = 12, EACCES = 13, ENOENT = 2, ENOTDIR = 20,
        ERANGE = 34, ESRCH = 3, EPERM = 1, EMFILE = 24, ENFILE = 23, EPIPE = 32, ELOOP = 40;

    public const short POSIX_SPAWN_SETSIGDEF = 0x04, POSIX_SPAWN_SETSIGMASK = 0x08, POSIX_SPAWN_SETSID = 0x80;
    public const int O_RDONLY = 0, O_WRONLY = 1, O_NONBLOCK = 0x800, O_CLOEXEC = 0x80000;
    public const int F_GETFL = 3, F_SETFL = 4, F_SETPIPE_SZ = 1031;
    public const int CLONE_FS = 0x200, CLONE_FILES = 0x400;
    public const int O_RDWR = 2;
    public const int X_OK = 1, F_OK = 0;
    public const int AT_FDCWD = -100;
    public const uint STATX_MODE = 0x2;
    public const int SIGCHLD = 17;
    public const int EPOLL_CLOEXEC = 0x80000, EPOLL_CTL_ADD = 1, EPOLL_CTL_DEL = 2;
    public const uint EPOLLIN = 0x1;
    public const int EFD_CLOEXEC = 0x80000, EFD_NONBLOCK = 0x800;
    public const int P_PIDFD = 3, WEXITED = 4, WNOHANG = 1;
    public const int CLD_EXITED = 1, CLD_KILLED = 2, CLD_DUMPED = 3;

    /// <summary>siginfo_t is 128 bytes; for SIGCHLD-style infos si_code is at 8, si_pid at 16, si_status at 24.</summary>
    public const int SiginfoBytes = 128, SiCodeOffset = 8, SiPidOffset = 16, SiStatusOffset = 24;

    /// <summary>struct epoll_event is packed on x86-64 (12 bytes, data at 4) and naturally aligned elsewhere
    /// (16 bytes, data at 8), so it is read and written by hand rather than mirrored as a struct.</summary>
    public static readonly int EpollEventBytes = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;
    public static readonly int EpollDataOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 4 : 8;

    /// <summary>Opaque glibc objects (posix_spawnattr_t is 336 bytes, posix_spawn_file_actions_t 80 on x86-64):
    /// allocated with ample room so a future glibc growing them cannot overrun us.</summary>
    public const int OpaqueObjectBytes = 1024;

    /// <summary>sigset_t as glibc sees it (1024 bits).</summary>
    public const int SigsetBytes = 128;

    [LibraryImport(Lib, EntryPoint = "posix_spawn")]
    public static partial int PosixSpawn(out int pid, byte* path, void* fileActions, void* attr, byte** argv, byte** envp);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_init")]
    public static partial int PosixSpawnattrInit(void* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_destroy")]
    public static partial int PosixSpawnattrDestroy(void* attr);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setflags")]
    public static partial int PosixSpawnattrSetflags(void* attr, short flags);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigmask")]
    public static partial int PosixSpawnattrSetsigmask(void* attr, void* sigset);

    [LibraryImport(Lib, EntryPoint = "posix_spawnattr_setsigdefault")]
    public static partial int PosixSpawnattrSetsigdefault(void* attr, void* sigset);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_init")]
    public static partial int FileActionsInit(void* fileActions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_destroy")]
    public static partial int FileActionsDestroy(void* fileActions);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addopen")]
    public static partial int FileActionsAddOpen(void* fileActions, int fd, byte* path, int oflag, uint mode);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_adddup2")]
    public static partial int FileActionsAddDup2(void* fileActions, int fd, int newFd);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addchdir_np")]
    public static partial int FileActionsAddChdir(void* fileActions, byte* path);

    [LibraryImport(Lib, EntryPoint = "posix_spawn_file_actions_addclosefrom_np")]
    public static partial int FileActionsAddClosefrom(void* fileActions, int fromFd);

    [LibraryImport(Lib, EntryPoint = "pipe2", SetLastError = true)]
    public static partial int Pipe2(int* fds, int flags);

    // fcntl is variadic; with one int argument the fixed-argument call is ABI-identical on x86-64 and aarch64 Linux.
    [LibraryImport(Lib, EntryPoint = "fcntl", SetLastError = true)]
    public static partial int Fcntl(int fd, int cmd, int arg);

    [LibraryImport(Lib, EntryPoint = "close")]
    public static partial int Close(int fd);

    [LibraryImport(Lib, EntryPoint = "umask")]
    public static partial uint Umask(uint mask);

    [LibraryImport(Lib, EntryPoint = "unshare", SetLastError = true)]
    public static partial int Unshare(int flags);

    [LibraryImport(Lib, EntryPoint = "kill", SetLastError = true)]
    public static partial int Kill(int pid, int signal);

    /// <summary>The process group of <paramref name="pid"/> (a zombie keeps its own until it is reaped), or -1.</summary>
    [LibraryImport(Lib, EntryPoint = "getpgid", SetLastError = true)]
    public static partial int GetPgid(int pid);

    public const int PR_SET_CHILD_SUBREAPER = 36;

    [LibraryImport(Lib, EntryPoint = "prctl", SetLastError = true)]
    public static partial int Prctl(int option, nuint arg2, nuint arg3, nuint arg4, nuint arg5);

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

    public const int SIG_BLOCK = 0;

    [LibraryImport(Lib, EntryPoint = "pthread_sigmask")]
    public static partial int PthreadSigmask(int how, void* set, void* oldSet);

    [LibraryImport(Lib, EntryPoint = "close_range", SetLastError = true)]
    public static partial int CloseRange(uint first, uint last, int flags);

    [LibraryImport(Lib, EntryPoint = "dup3", SetLastError = true)]
    public static partial int Dup3(int oldFd, int newFd, int flags);

    [LibraryImport(Lib, EntryPoint = "open", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial int Open(string path, int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_create1", SetLastError = true)]
    public static partial int EpollCreate1(int flags);

    [LibraryImport(Lib, EntryPoint = "epoll_ctl", SetLastError = true)]
    public static partial int EpollCtl(int epfd, int op, int fd, void* ev);

    [LibraryImport(Lib, EntryPoint = "epoll_wait", SetLastError = true)]
    public static partial int EpollWait(int epfd, void* events, int maxEvents, int timeoutMs);

    /// <summary>Sets O_NONBLOCK on <paramref name="fd"/>, keeping its other status flags. 0, or the errno.</summary>
    public static int SetNonBlocking(int fd)
    {
        var flags = Fcntl(fd, F_GETFL, 0);
        return flags >= 0 && Fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>Adds <paramref name="fd"/> to the set, level-triggered EPOLLIN, with <paramref name="data"/> as the
    /// word the set reports it with. 0, or the errno.</summary>
    public static int EpollAddReadable(int epfd, int fd, ulong data)
    {
        var ev = stackalloc byte[16];
        new Span<byte>(ev, 16).Clear();
        *(uint*)ev = EPOLLIN;
        Unsafe.WriteUnaligned(ev + EpollDataOffset, data);
        return EpollCtl(epfd, EPOLL_CTL_ADD, fd, ev) == 0 ? 0 : Marshal.GetLastPInvokeError();
    }

    /// <summary>The data word of event <paramref name="index"/> in a buffer filled by <see cref="EpollWaitForever"/>.</summary>
    public static ulong EpollDataAt(byte* events, int index) =>
        Unsafe.ReadUnaligned<ulong>(events + index * EpollEventBytes + EpollDataOffset);

    /// <summary>
    /// epoll_wait with no timeout, retried on EINTR. Any other failure (EBADF, EFAULT, EINVAL) is a bug in the
    /// caller, and a thread that quietly stopped waiting would leave children unreaped or pipes undrained:
    /// failing loudly, naming <paramref name="thread"/>, is the lesser harm.
    /// </summary>
    public static int EpollWaitForever(int epfd, byte* events, int maxEvents, string thread)
    {
        while (true)
        {
            var ready = EpollWait(epfd, events, maxEvents, -1);
            if (ready >= 0)
                return ready;
            var errno = Marshal.GetLastPInvokeError();
            if (errno != EINTR)
                Environment.FailFast($"{thread}: epoll_wait failed: {Marshal.GetPInvokeErrorMessage(errno)}");
        }
    }

    [LibraryImport(Lib, EntryPoint = "eventfd", SetLastError = true)]
    public static partial int EventFd(uint initialValue, int flags);

    public const short POLLIN = 0x1;

    /// <summary>struct pollfd.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport(Lib, EntryPoint = "poll", SetLastError = true)]
    public static partial int Poll(PollFd* fds, nuint count, int timeoutMs);

    [LibraryImport(Lib, EntryPoint = "read", SetLastError = true)]
    public static partial nint Read(int fd, void* buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "write", SetLastError = true)]
    public static partial nint Write(int fd, void* buffer, nint count);

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport(Lib, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, StatxBuffer* buffer);

    /// <summary>open(2) with a creation mode (the three-argument form).</summary>
    [LibraryImport(Lib, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenCreating(string path, int flags, uint mode);

    [LibraryImport(Lib, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);

    /// <summary>openat(2) with a creation mode: a name inside a directory already open, so the directory cannot be swapped.</summary>
    [LibraryImport(Lib, EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(int dirFd, string path, int flags, uint mode);

    [LibraryImport(Lib, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkdir(string path, uint mode);

    public const int O_CREAT = 0x40, O_EXCL = 0x80, O_NOFOLLOW = 0x20000, AT_EMPTY_PATH = 0x1000, O_DIRECTORY = 0x10000;
    public const int EEXIST = 17;
    public const uint STATX_TYPE = 0x1, STATX_UID = 0x8, STATX_SIZE = 0x200, STATX_INO = 0x100;
    public const ushort S_IFREG = 0x8000, S_ISVTX = 0x200, S_IWGRP = 0x10, S_IWOTH = 0x2;

    [LibraryImport(Lib, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetpwnamR(string name, Passwd* pwd, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Lib, EntryPoint = "getpwuid_r")]
    public static partial int GetpwuidR(uint uid, Passwd* pwd, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Lib, EntryPoint = "sigaction", SetLastError = true)]
    public static partial int Sigaction(int signal, void* action, void* oldAction);

    /// <summary>struct passwd (LP64).</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Passwd
    {
        public byte* Name;
        public byte* Password;
        public uint Uid;
        public uint Gid;
        public byte* Gecos;
        public byte* Dir;
        public byte* Shell;
    }

    /// <summary>The head of struct statx (fixed layout on every architecture); the rest is padding.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    public struct StatxBuffer
    {
        [FieldOffset(0)] public uint Mask;
        [FieldOffset(20)] public uint Uid;
        [FieldOffset(24)] public uint Gid;
        [FieldOffset(28)] public ushort Mode;
        [FieldOffset(32)] public ulong Ino;
        [FieldOffset(40)] public ulong Size;
    }

    public const ushort S_IFMT = 0xF000, S_IFDIR = 0x4000;
}
