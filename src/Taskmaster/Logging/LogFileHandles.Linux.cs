// Opening log targets with plain open(2), because FileStream cannot express what a log target needs:
// O_APPEND (an external "copytruncate" rotation keeps working), O_NONBLOCK on open (a FIFO without a
// reader fails with ENXIO instead of hanging the caller in open(2)), and a cheap seekability probe
// (a tty, a pipe or a FIFO such as /dev/stdout must never be seeked: supervisord dies there with
// "Illegal seek").
//
// A root daemon's log must never be turned into a way to read its programs' output or to write somewhere else:
//   - an AUTO log (Private) is created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0600 set by fchmod (the umask cannot
//     widen it), by openat in a directory checked through its own descriptor (owned by us or root, not writable by
//     others unless sticky); an existing file is reused only when it is one we made: a regular file of our euid that
//     nobody else can write. A missing directory is created 0700 (the private directory of an unsafe childlogdir).
//   - a named log in a directory where others can create names (sticky /tmp, a directory of another user) is opened
//     with O_NOFOLLOW and used only when the file is ours; in a directory only we or root can change, symlinks are
//     the administrator's (/dev/stdout is one) and are followed.
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Taskmaster.Posix;

namespace Taskmaster.Logging;

/// <summary>Opening and probing log targets with Linux system calls.</summary>
internal static class LogFileHandles
{
    private const uint DefaultMode = 0x1B6; // 0666, narrowed by the daemon's umask like any created file
    private const uint PrivateMode = 0x180; // 0600
    private const uint PrivateDirectoryMode = 0x1C0; // 0700

    /// <summary>Opens <paramref name="path"/> for appending, creating it when <paramref name="create"/>; a
    /// <paramref name="isPrivate"/> file (an AUTO log) is created 0600 and only ever one of ours (see the file's
    /// overview). Throws <see cref="IOException"/> with the system's reason on failure.</summary>
    public static SafeFileHandle OpenForAppend(string path, bool create = true, bool isPrivate = false)
    {
        int flags = Descriptors.O_WRONLY | Descriptors.O_APPEND | Descriptors.O_NONBLOCK | Descriptors.O_CLOEXEC;
        var handle = isPrivate ? OpenPrivate(path, flags, create) : OpenNamed(path, flags | (create ? Descriptors.O_CREAT : 0));
        int fd = (int)handle.DangerousGetHandle();
        // O_NONBLOCK was only for the open; writes block, so a slow reader of a FIFO target slows only
        // the pipe that feeds it (read on a thread of its own, see OutputPump), never loses data.
        if (Descriptors.ClearNonBlocking(fd) is not 0 and var errno)
        {
            handle.Dispose();
            throw Error(errno, path);
        }
        return handle;
    }

    private static SafeFileHandle OpenNamed(string path, int flags)
    {
        bool shared = OthersMayCreateIn(System.IO.Path.GetDirectoryName(path) ?? "/");
        int fd = Descriptors.Open(path, shared ? flags | Descriptors.O_NOFOLLOW : flags, DefaultMode);
        if (fd < 0)
            throw SymlinkOrLastError(path);
        var handle = new SafeFileHandle(fd, ownsHandle: true);
        if (shared && NotOurs(fd, path) is { } refusal)
        {
            handle.Dispose();
            throw new IOException(refusal);
        }
        return handle;
    }

    private static unsafe SafeFileHandle OpenPrivate(string path, int flags, bool create)
    {
        var directory = System.IO.Path.GetDirectoryName(path) ?? "/";
        if (create && Files.Mkdir(directory, PrivateDirectoryMode) != 0 && Marshal.GetLastPInvokeError() != Errno.EEXIST)
            throw LastError(directory);
        int dirFd = Descriptors.Open(directory, Descriptors.O_RDONLY | Descriptors.O_DIRECTORY | Descriptors.O_CLOEXEC);
        if (dirFd < 0)
            throw LastError(directory);
        using var dir = new SafeFileHandle(dirFd, ownsHandle: true);
        Files.StatxBuffer st;
        if (Files.Statx(dirFd, "", Files.AT_EMPTY_PATH, Files.STATX_MODE | Files.STATX_UID, &st) != 0)
            throw LastError(directory);
        if (!StateFile.IsSafeDirectory(st))
            throw new IOException($"refusing to write {path}: its directory is owned by uid {st.Uid} with mode {Convert.ToString(st.Mode & 0xFFF, 8)}, so another user could replace the file");
        var name = System.IO.Path.GetFileName(path);
        flags |= Descriptors.O_NOFOLLOW;
        if (create)
        {
            int created = Descriptors.OpenAt(dirFd, name, flags | Descriptors.O_CREAT | Descriptors.O_EXCL, PrivateMode);
            if (created >= 0)
            {
                var handle = new SafeFileHandle(created, ownsHandle: true);
                if (Files.Fchmod(created, PrivateMode) == 0)
                    return handle;
                var error = LastError(path);
                handle.Dispose();
                throw error;
            }
            if (Marshal.GetLastPInvokeError() != Errno.EEXIST)
                throw LastError(path);
        }
        int fd = Descriptors.OpenAt(dirFd, name, flags, 0);
        if (fd < 0)
            throw SymlinkOrLastError(path);
        var existing = new SafeFileHandle(fd, ownsHandle: true);
        if (NotOurs(fd, path, regularOnly: true) is { } refusal)
        {
            existing.Dispose();
            throw new IOException(refusal);
        }
        return existing;
    }

    /// <summary>True when a user other than us and root may add or replace names in <paramref name="directory"/>.</summary>
    private static unsafe bool OthersMayCreateIn(string directory)
    {
        Files.StatxBuffer st;
        if (Files.Statx(Files.AT_FDCWD, directory, 0, Files.STATX_MODE | Files.STATX_UID, &st) != 0)
            return true; // unknown: assume the worst, which only costs following a symlink
        return (st.Uid != Identity.GetEuid() && st.Uid != 0) || (st.Mode & (Files.S_IWGRP | Files.S_IWOTH)) != 0;
    }

    /// <summary>Why the open <paramref name="fd"/> is not one we may write to in a directory others share, or null:
    /// whatever it is (a file, a FIFO), another user must not own it; a private log must be a regular file.</summary>
    private static unsafe string? NotOurs(int fd, string path, bool regularOnly = false)
    {
        Files.StatxBuffer st;
        if (Files.Statx(fd, "", Files.AT_EMPTY_PATH, Files.STATX_TYPE | Files.STATX_MODE | Files.STATX_UID, &st) != 0)
            return $"cannot stat {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        bool regular = (st.Mode & Files.S_IFMT) == Files.S_IFREG;
        if (regularOnly && !regular)
            return $"refusing to write {path}: it is not a regular file";
        var euid = Identity.GetEuid();
        if (st.Uid != euid)
            return $"refusing to write {path}: the file is owned by uid {st.Uid}, not by this daemon's user (uid {euid}), who could read it";
        if (regular && (st.Mode & (Files.S_IWGRP | Files.S_IWOTH)) != 0)
            return $"refusing to write {path}: the file is writable by other users (mode {Convert.ToString(st.Mode & 0xFFF, 8)})";
        return null;
    }

    /// <summary>Creates <paramref name="path"/> empty when nothing exists there (not even a dangling symlink);
    /// touches nothing that exists (a private one: nothing that is not ours). Best effort: failures are silent.</summary>
    public static void CreateIfMissing(string path, bool isPrivate)
    {
        if (isPrivate)
        {
            try { OpenForAppend(path, create: true, isPrivate: true).Dispose(); }
            catch (IOException) { } // the spawn's own open reports it
            return;
        }
        int fd = Descriptors.Open(path, Descriptors.O_WRONLY | Descriptors.O_CREAT | Descriptors.O_EXCL | Descriptors.O_CLOEXEC, DefaultMode);
        if (fd >= 0)
            Descriptors.Close(fd);
    }

    /// <summary>A reference to <paramref name="path"/>'s inode that keeps it alive after an unlink, without
    /// needing read permission (O_PATH); null when there is no such file (or it cannot be held).</summary>
    public static SafeFileHandle? TryHoldForRetirement(string path)
    {
        int fd = Descriptors.Open(path, Descriptors.O_PATH | Descriptors.O_CLOEXEC);
        return fd < 0 ? null : new SafeFileHandle(fd, ownsHandle: true);
    }

    /// <summary>Writes all of <paramref name="data"/> with write(2): appends to a file (O_APPEND), and works
    /// on pipes, FIFOs and terminals, where the runtime's positional writes refuse to go.</summary>
    public static void WriteAll(SafeFileHandle handle, ReadOnlySpan<byte> data, string path)
    {
        var (_, errno) = Descriptors.WriteAll(handle, data);
        if (errno != 0)
            throw Error(errno, path);
    }

    /// <summary>False for pipes, FIFOs, sockets and terminals, which must be written without seeking.</summary>
    public static bool IsSeekable(SafeFileHandle handle)
    {
        var added = false;
        try
        {
            handle.DangerousAddRef(ref added);
            return Descriptors.Lseek((int)handle.DangerousGetHandle(), 0, Descriptors.SEEK_CUR) >= 0;
        }
        finally
        {
            if (added) handle.DangerousRelease();
        }
    }

    private static IOException SymlinkOrLastError(string path) =>
        Marshal.GetLastPInvokeError() == Errno.ELOOP
            ? new IOException($"refusing to write {path}: it is a symbolic link in a directory other users can write", Errno.ELOOP)
            : LastError(path);

    private static IOException LastError(string path) => Error(Marshal.GetLastPInvokeError(), path);

    private static IOException Error(int errno, string path) =>
        new($"{Marshal.GetPInvokeErrorMessage(errno)} ('{path}')", errno);
}
