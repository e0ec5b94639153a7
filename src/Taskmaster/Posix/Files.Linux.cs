// What .NET's file APIs do not tell or do: statx (owner, mode and type of a path or of an open descriptor, without
// following a symlink when asked), access(X_OK) as exec will judge it, fchmod on a descriptor, chown by ids, and a
// bare readdir (.NET's enumeration stats every entry, which /proc/self/fd makes costly).
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>statx, access, fchmod, chmod, chown, mkdir and opendir/readdir.</summary>
public static unsafe partial class Files
{
    private const string Lib = "libc";

    public const int X_OK = 1, F_OK = 0;
    public const int AT_FDCWD = -100, AT_EMPTY_PATH = 0x1000;
    public const uint STATX_TYPE = 0x1, STATX_MODE = 0x2, STATX_UID = 0x8, STATX_INO = 0x100, STATX_SIZE = 0x200;
    public const int AT_SYMLINK_NOFOLLOW = 0x100;
    public const ushort S_IFMT = 0xF000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_ISVTX = 0x200, S_IWGRP = 0x10, S_IWOTH = 0x2;

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

    [LibraryImport(Lib, EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Statx(int dirFd, string path, int flags, uint mask, StatxBuffer* buffer);

    [LibraryImport(Lib, EntryPoint = "access", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Access(string path, int mode);

    [LibraryImport(Lib, EntryPoint = "fchmod", SetLastError = true)]
    public static partial int Fchmod(int fd, uint mode);

    /// <summary>chmod(2): for a file that has no descriptor to fchmod (a bound Unix socket).</summary>
    [LibraryImport(Lib, EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chmod(string path, uint mode);

    /// <summary>chown(2); <see cref="uint.MaxValue"/> (-1) keeps the owner or the group unchanged.</summary>
    [LibraryImport(Lib, EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Chown(string path, uint owner, uint group);

    [LibraryImport(Lib, EntryPoint = "mkdir", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Mkdir(string path, uint mode);

    [LibraryImport(Lib, EntryPoint = "opendir", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    public static partial nint OpenDir(string path);

    /// <summary>The next entry (a struct dirent64 owned by the stream), or 0 at the end.</summary>
    [LibraryImport(Lib, EntryPoint = "readdir64")]
    public static partial nint ReadDir(nint dir);

    [LibraryImport(Lib, EntryPoint = "closedir")]
    public static partial int CloseDir(nint dir);
}
