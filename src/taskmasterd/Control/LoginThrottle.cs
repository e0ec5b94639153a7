using System.Net;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Per-peer back-off for failed logins. A peer gets <see cref="FreeFailures"/> failures in a row for free (typos);
/// each further one shuts it out for a pause that doubles from <see cref="FirstPause"/> up to
/// <see cref="LongestPause"/>. While shut out, its requests are refused unchecked, so even right credentials get no
/// answer that could confirm a guess, and parallel connections gain nothing. A success forgets the peer; so does
/// <see cref="ForgetAfter"/> without a failure. A peer is an IPv4 address, an IPv6 /64 (one host commonly holds a
/// whole /64), or the unix socket as a whole. Thread-safe.
/// </summary>
internal sealed class LoginThrottle(TimeProvider time)
{
    public const int FreeFailures = 5;
    public static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);
    public static readonly TimeSpan ForgetAfter = TimeSpan.FromMinutes(15);

    /// <summary>Peers remembered before forgotten ones are swept out.</summary>
    private const int SweepAbove = 4096;

    private sealed class Peer
    {
        public int Failures;
        public DateTimeOffset LastFailure;
        public DateTimeOffset BlockedUntil;
    }

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Peer> _peers = [];

    /// <summary>How long <paramref name="peer"/> is still shut out, or null when it may try.</summary>
    public TimeSpan? RemainingPause(string peer)
    {
        var now = time.GetUtcNow();
        lock (_lock)
            return _peers.TryGetValue(peer, out var p) && p.BlockedUntil > now ? p.BlockedUntil - now : null;
    }

    public void Failed(string peer)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            if (!_peers.TryGetValue(peer, out var p))
            {
                if (_peers.Count >= SweepAbove) Sweep(now);
                _peers[peer] = p = new Peer();
            }
            else if (now - p.LastFailure > ForgetAfter)
            {
                p.Failures = 0;
            }
            p.Failures++;
            p.LastFailure = now;
            if (p.Failures > FreeFailures)
            {
                var doublings = Math.Min(p.Failures - FreeFailures - 1, 16);
                var pause = TimeSpan.FromTicks(Math.Min(FirstPause.Ticks << doublings, LongestPause.Ticks));
                p.BlockedUntil = now + pause;
            }
        }
    }

    public void Succeeded(string peer)
    {
        lock (_lock) _peers.Remove(peer);
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, p) in _peers)
            if (now - p.LastFailure > ForgetAfter && p.BlockedUntil <= now)
                _peers.Remove(key);
    }

    /// <summary>The peer a TCP client counts as: its IPv4 address (IPv4-mapped IPv6 included), or its IPv6 /64.</summary>
    public static string PeerOf(IPAddress? address)
    {
        if (address is null) return "unknown";
        if (address.IsIPv4MappedToIPv6) address = address.MapToIPv4();
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6 || IPAddress.IsLoopback(address))
            return address.ToString();
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
