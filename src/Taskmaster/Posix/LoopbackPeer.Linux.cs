// Who is at the other end of a loopback TCP connection. TCP carries no credentials (SO_PEERCRED is for unix
// sockets), but on one machine the kernel knows both ends: /proc/net/tcp lists every IPv4 socket with its local and
// remote address and the uid that owns it, so the peer's socket is the line whose local address is our remote one
// and whose remote address is our local one (what identd did). The connection is open while we look, so the line is
// there; a peer that has already gone is simply not found.
using System.Globalization;
using System.Net;

namespace Taskmaster.Posix;

/// <summary>The uid owning the client socket of a loopback TCP connection.</summary>
public static class LoopbackPeer
{
    /// <summary>The uid of the socket at <paramref name="peer"/> connected to us at <paramref name="local"/>, or null
    /// when no such IPv4 socket is listed (gone, or not on this machine).</summary>
    public static uint? UidOf(IPEndPoint peer, IPEndPoint local) =>
        // A dual-stack client socket (.NET's, Python's with AF_INET6) connected to 127.0.0.1 is listed in tcp6, with
        // both addresses IPv4-mapped.
        Find("/proc/net/tcp", Hex(peer), Hex(local)) ?? Find("/proc/net/tcp6", Hex6(peer), Hex6(local));

    private static uint? Find(string table, string wantLocal, string wantRemote)
    {
        if (!File.Exists(table)) return null;
        foreach (var line in File.ReadLines(table).Skip(1))
        {
            // sl local_address rem_address st tx:rx tr:when retrnsmt uid ...
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8) continue;
            if (fields[1].Equals(wantLocal, StringComparison.OrdinalIgnoreCase) && fields[2].Equals(wantRemote, StringComparison.OrdinalIgnoreCase)
                && uint.TryParse(fields[7], NumberStyles.None, CultureInfo.InvariantCulture, out var uid))
                return uid;
        }
        return null;
    }

    /// <summary>The kernel's IPv6 spelling: each 32-bit word of the (mapped) address as this machine reads it.</summary>
    private static string Hex6(IPEndPoint endpoint)
    {
        var bytes = endpoint.Address.MapToIPv6().GetAddressBytes();
        var text = new System.Text.StringBuilder(40);
        for (var i = 0; i < 16; i += 4) text.Append(BitConverter.ToUInt32(bytes, i).ToString("X8", CultureInfo.InvariantCulture));
        return text.Append(':').Append(endpoint.Port.ToString("X4", CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>The kernel's spelling: the address as a host-order 32-bit number in hex, a colon, the port in hex.</summary>
    private static string Hex(IPEndPoint endpoint)
    {
        var address = endpoint.Address.IsIPv4MappedToIPv6 ? endpoint.Address.MapToIPv4() : endpoint.Address;
        var bytes = address.GetAddressBytes();
        var host = BitConverter.ToUInt32(bytes); // the bytes in network order, read as this (little-endian) machine reads them
        return string.Create(CultureInfo.InvariantCulture, $"{host:X8}:{endpoint.Port:X4}");
    }
}
