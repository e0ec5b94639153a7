namespace Taskmaster.Control;

/// <summary>Where the daemon listens: <c>unix:///path/to.sock</c> or <c>http://host:port</c>.</summary>
public sealed record ServerAddress(string Url, string? SocketPath, Uri BaseUri)
{
    /// <summary>Parses a serverurl. A bare absolute path is taken as a unix socket.</summary>
    public static bool TryParse(string url, out ServerAddress address)
    {
        address = null!;
        if (url.StartsWith("unix://", StringComparison.Ordinal))
        {
            var path = url["unix://".Length..];
            if (path.Length == 0) return false;
            address = new ServerAddress(url, path, new Uri("http://localhost/"));
            return true;
        }
        if (url.StartsWith('/'))
        {
            address = new ServerAddress("unix://" + url, url, new Uri("http://localhost/"));
            return true;
        }
        if (Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http")
        {
            address = new ServerAddress(url, null, new Uri(uri.GetLeftPart(UriPartial.Authority) + "/"));
            return true;
        }
        return false;
    }
}
