using System.Runtime.InteropServices;

namespace Taskmaster.Posix;

/// <summary>A passwd entry: what a child needs to run as a user (ids, home directory, login name).</summary>
public sealed record UserAccount(string Name, uint Uid, uint Gid, string Home, string Shell)
{
    /// <summary>Looks a user up by name, or by numeric uid as supervisord also accepts (getpwnam_r / getpwuid_r,
    /// so NSS sources such as LDAP work too). Null when there is no such user.</summary>
    public static unsafe UserAccount? Find(string user)
    {
        var byUid = uint.TryParse(user, System.Globalization.NumberStyles.None, null, out var uid);
        // getpwnam_r reports ERANGE when the entry does not fit: grow and retry.
        for (var size = 1024; size <= 1 << 20; size *= 4)
        {
            var buffer = new byte[size];
            Identity.Passwd pwd;
            Identity.Passwd* result = null;
            int rc;
            fixed (byte* buf = buffer)
            {
                rc = byUid
                    ? Identity.GetpwuidR(uid, &pwd, buf, (nuint)size, &result)
                    : Identity.GetpwnamR(user, &pwd, buf, (nuint)size, &result);
                if (rc == Errno.ERANGE)
                    continue;
                if (rc != 0 || result == null)
                    return null;
                return new UserAccount(
                    Utf8(pwd.Name), pwd.Uid, pwd.Gid, Utf8(pwd.Dir), Utf8(pwd.Shell));
            }
        }
        return null;
    }

    private static unsafe string Utf8(byte* text) =>
        text == null ? "" : Marshal.PtrToStringUTF8((nint)text) ?? "";
}
