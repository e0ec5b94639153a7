using System.Net;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// The names a TCP listener answers to in the <c>Host</c> header: the name it was bound with, <c>localhost</c>, any
/// IP literal (an address cannot be re-pointed by DNS: a page whose origin is an IP is talking to that IP), and the
/// configured <c>allowed_hosts</c>. A browser tricked by DNS rebinding sends the attacker's domain name here, so a
/// request for any other name is refused before it is read.
/// </summary>
internal sealed class HostAllowList
{
    private readonly HashSet<string> _names;
    private readonly bool _any;

    public HostAllowList(string boundHost, IEnumerable<string> allowedHosts)
    {
        _names = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "localhost" };
        if (Bare(boundHost) is { Length: > 0 } bound && bound != "*") _names.Add(bound);
        foreach (var name in allowedHosts)
        {
            if (name == "*") _any = true;
            else _names.Add(Bare(name));
        }
    }

    /// <summary>Whether <paramref name="host"/> (the Host header's host part, without the port) may be served.</summary>
    public bool Admits(string host)
    {
        if (_any) return true;
        var bare = Bare(host);
        if (bare.Length == 0) return false;
        return _names.Contains(bare) || IPAddress.TryParse(bare, out _);
    }

    private static string Bare(string host)
    {
        host = host.Trim();
        if (host.EndsWith('.')) host = host[..^1]; // "localhost." is the same name
        return host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
    }
}
