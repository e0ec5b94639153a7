using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Daemon.Control;

/// <summary>[unix_http_server] chown=: the socket's owner and group, as names or numbers.</summary>
internal static class ChownSpec
{
    /// <summary>Applies <c>chown=user</c> or <c>chown=user:group</c> (names or numbers); -1 keeps a part unchanged.</summary>
    public static void Apply(string path, string spec)
    {
        var parts = spec.Split(':', 2);
        uint uid = uint.MaxValue, gid = uint.MaxValue;
        if (parts[0].Length > 0) uid = LookUpUser(parts[0]);
        if (parts.Length == 2 && parts[1].Length > 0) gid = LookUpGroup(parts[1]);
        if (Files.Chown(path, uid, gid) != 0)
            throw new ControlServerException($"cannot chown {path} to {spec}: {Marshal.GetLastPInvokeErrorMessage()}");
    }

    private static uint LookUpUser(string name)
    {
        if (uint.TryParse(name, out var numeric)) return numeric;
        return UserAccount.Find(name)?.Uid ?? throw new ControlServerException($"chown: no such user {name}");
    }

    private static uint LookUpGroup(string name)
    {
        if (uint.TryParse(name, out var numeric)) return numeric;
        return Identity.FindGroupId(name) ?? throw new ControlServerException($"chown: no such group {name}");
    }
}
