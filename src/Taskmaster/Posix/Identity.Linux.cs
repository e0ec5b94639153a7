// Who this process is and who the users and groups are: the effective uid, the switch to another user (the
// daemon's user= when started as root), and the passwd and group databases through glibc, so that NSS sources
// (LDAP, systemd-userdb) answer as they do for every other program.
using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>geteuid, setuid, setgid, initgroups, getpwnam_r, getpwuid_r and getgrnam.</summary>
public static unsafe partial class Identity
{
    private const string Lib = "libc";

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

    [LibraryImport(Lib, EntryPoint = "geteuid")]
    public static partial uint GetEuid();

    [LibraryImport(Lib, EntryPoint = "setgid", SetLastError = true)]
    public static partial int SetGid(uint gid);

    [LibraryImport(Lib, EntryPoint = "setuid", SetLastError = true)]
    public static partial int SetUid(uint uid);

    [LibraryImport(Lib, EntryPoint = "initgroups", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int InitGroups(string user, uint group);

    [LibraryImport(Lib, EntryPoint = "getpwnam_r", StringMarshalling = StringMarshalling.Utf8)]
    public static partial int GetpwnamR(string name, Passwd* pwd, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Lib, EntryPoint = "getpwuid_r")]
    public static partial int GetpwuidR(uint uid, Passwd* pwd, byte* buffer, nuint bufferLength, Passwd** result);

    [LibraryImport(Lib, EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint GetGrNam(string name);

    /// <summary>The id of group <paramref name="name"/>, or null when there is no such group.</summary>
    public static uint? FindGroupId(string name)
    {
        var gr = GetGrNam(name);
        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... } on LP64.
        return gr == 0 ? null : (uint)Marshal.ReadInt32(gr, 2 * IntPtr.Size);
    }
}
