// Files the daemon keeps for itself (the pid file, the crash-recovery children file) and reads back after a
// restart. They often sit where other users can write (supervisord's sample config puts its pid file in
// /tmp), and a root daemon acts on what they say: the children file makes it signal process groups at start.
// So a file of ours is only ever:
//   - written under a fresh random name with O_CREAT|O_EXCL|O_NOFOLLOW (a planted file or symlink is never
//     opened, let alone written through), given its mode with fchmod (the umask cannot widen it), then renamed
//     over the real name (rename replaces a symlink itself, never its target; readers see old or new, whole);
//   - read through O_NOFOLLOW, and believed only when it is a regular file owned by the daemon's euid and
//     writable by nobody else;
//   - kept in a directory that no other user can rearrange: owned by us or by root, and not writable by group
//     or others unless sticky (in /tmp others can plant names, but neither replace nor remove ours).
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Taskmaster.Posix;

/// <summary>Writes and reads the daemon's own state files so that no other local user can forge or redirect them.</summary>
public static unsafe class StateFile
{
    /// <summary>The most a state file may hold: a children file takes about 50 bytes per program.</summary>
    private const int MaxBytes = 16 << 20;

    /// <summary>
    /// Null when <paramref name="directory"/> is safe for our files, else why not (for an error message). A
    /// directory that does not exist yet is safe: the caller creates it, and it is then ours.
    /// </summary>
    public static string? UnsafeDirectoryReason(string directory)
    {
        Files.StatxBuffer st;
        if (Files.Statx(Files.AT_FDCWD, directory, 0, Files.STATX_TYPE | Files.STATX_MODE | Files.STATX_UID, &st) != 0)
            return null;
        if (IsSafeDirectory(st))
            return null;
        var euid = Identity.GetEuid();
        return st.Uid != euid && st.Uid != 0
            ? $"directory {directory} is owned by uid {st.Uid}, not by this daemon's user (uid {euid}) or root"
            : $"directory {directory} is writable by other users (mode {Convert.ToString(st.Mode & 0xFFF, 8)}) and not sticky";
    }

    /// <summary>
    /// The one rule for a directory our files may live in, judged on a statx already taken (of a path, or of a
    /// directory held open so it cannot be swapped): owned by the daemon's euid or root, and not writable by others
    /// unless sticky, so nobody else can rename or replace the names in it.
    /// </summary>
    public static bool IsSafeDirectory(in Files.StatxBuffer st)
    {
        var euid = Identity.GetEuid();
        return (st.Uid == euid || st.Uid == 0)
            && ((st.Mode & (Files.S_IWGRP | Files.S_IWOTH)) == 0 || (st.Mode & Files.S_ISVTX) != 0);
    }

    /// <summary>Replaces <paramref name="path"/> with <paramref name="content"/> atomically, with exactly <paramref name="mode"/>.
    /// Throws <see cref="IOException"/> with the system's reason.</summary>
    public static void Write(string path, string content, UnixFileMode mode)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        if (UnsafeDirectoryReason(directory) is { } reason)
            throw new IOException($"refusing to write {path}: {reason}");
        var temp = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        var fd = Descriptors.Open(temp, Descriptors.O_WRONLY | Descriptors.O_CREAT | Descriptors.O_EXCL | Descriptors.O_NOFOLLOW | Descriptors.O_CLOEXEC, (uint)mode);
        if (fd < 0)
            throw LastError("create", temp);
        using (var handle = new SafeFileHandle(fd, ownsHandle: true))
        {
            try
            {
                if (Files.Fchmod(fd, (uint)mode) != 0)
                    throw LastError("chmod", temp);
                RandomAccess.Write(handle, Encoding.UTF8.GetBytes(content), 0);
            }
            catch
            {
                File.Delete(temp);
                throw;
            }
        }
        try { File.Move(temp, path, overwrite: true); }
        catch
        {
            File.Delete(temp);
            throw;
        }
    }

    /// <summary>
    /// The text of <paramref name="path"/>, or null when there is none. A file that is not ours to trust (a
    /// symlink, not a regular file, owned by another user, writable by group or others) is not read:
    /// <paramref name="refusal"/> says why, and the result is null.
    /// </summary>
    public static string? Read(string path, out string? refusal)
    {
        refusal = null;
        var fd = Descriptors.Open(path, Descriptors.O_RDONLY | Descriptors.O_NOFOLLOW | Descriptors.O_NONBLOCK | Descriptors.O_CLOEXEC);
        if (fd < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Errno.ENOENT or Errno.ENOTDIR)
                return null;
            refusal = errno == Errno.ELOOP ? $"{path} is a symbolic link" : $"cannot open {path}: {Marshal.GetPInvokeErrorMessage(errno)}";
            return null;
        }
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Files.StatxBuffer st;
        if (Files.Statx(fd, "", Files.AT_EMPTY_PATH, Files.STATX_TYPE | Files.STATX_MODE | Files.STATX_UID | Files.STATX_SIZE, &st) != 0)
        {
            refusal = $"cannot stat {path}: {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
            return null;
        }
        var euid = Identity.GetEuid();
        if ((st.Mode & Files.S_IFMT) != Files.S_IFREG)
            refusal = $"{path} is not a regular file";
        else if (st.Uid != euid)
            refusal = $"{path} is owned by uid {st.Uid}, not by this daemon's user (uid {euid})";
        else if ((st.Mode & (Files.S_IWGRP | Files.S_IWOTH)) != 0)
            refusal = $"{path} is writable by other users (mode {Convert.ToString(st.Mode & 0xFFF, 8)})";
        else if (st.Size > MaxBytes)
            refusal = $"{path} is larger than {MaxBytes} bytes";
        if (refusal is not null)
            return null;
        var buffer = new byte[st.Size];
        var read = RandomAccess.Read(handle, buffer, 0);
        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private static IOException LastError(string what, string path)
    {
        var errno = Marshal.GetLastPInvokeError();
        return new IOException($"cannot {what} {path}: {Marshal.GetPInvokeErrorMessage(errno)}", errno);
    }
}
