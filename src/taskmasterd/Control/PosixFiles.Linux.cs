using System.Runtime.InteropServices;

namespace Taskmaster.Daemon.Control;

/// <summary>The few libc calls the socket setup needs that .NET does not expose: chown and user/group lookup.</summary>
internal static partial class PosixFiles
{
    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, uint owner, uint group);

    [LibraryImport("libc", EntryPoint = "getpwnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetPwNam(string name);

    [LibraryImport("libc", EntryPoint = "getgrnam", StringMarshalling = StringMarshalling.Utf8)]
    private static partial IntPtr GetGrNam(string name);

    /// <summary>Applies <c>chown=user</c> or <c>chown=user:group</c> (names or numbers); -1 keeps a part unchanged.</summary>
    public static void ApplyChown(string path, string spec)
    {
        var parts = spec.Split(':', 2);
        uint uid = uint.MaxValue, gid = uint.MaxValue;
        if (parts[0].Length > 0) (uid, _) = LookUpUser(parts[0]);
        if (parts.Length == 2 && parts[1].Length > 0) gid = LookUpGroup(parts[1]);
        if (Chown(path, uid, gid) != 0)
            throw new ControlServerException($"cannot chown {path} to {spec}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private static (uint Uid, uint Gid) LookUpUser(string name)
    {
        if (uint.TryParse(name, out var numeric)) return (numeric, uint.MaxValue);
        var pw = GetPwNam(name);
        if (pw == IntPtr.Zero) throw new ControlServerException($"chown: no such user {name}");
        // struct passwd { char *pw_name; char *pw_passwd; uid_t pw_uid; gid_t pw_gid; ... } on LP64.
        return ((uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size), (uint)Marshal.ReadInt32(pw, 2 * IntPtr.Size + 4));
    }

    private static uint LookUpGroup(string name)
    {
        if (uint.TryParse(name, out var numeric)) return numeric;
        var gr = GetGrNam(name);
        if (gr == IntPtr.Zero) throw new ControlServerException($"chown: no such group {name}");
        // struct group { char *gr_name; char *gr_passwd; gid_t gr_gid; ... } on LP64.
        return (uint)Marshal.ReadInt32(gr, 2 * IntPtr.Size);
    }
}
