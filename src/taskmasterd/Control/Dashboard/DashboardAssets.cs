using System.Collections.Frozen;
using System.Security.Cryptography;

namespace Taskmaster.Daemon.Control.Dashboard;

/// <summary>
/// The dashboard's files (HTML, CSS, JavaScript), embedded in the daemon's binary as manifest resources: nothing is
/// fetched at run time and no file on disk can be swapped under the daemon. They are read out of the binary on the
/// first request for the page, not at start, so a daemon nobody looks at holds none of them in its heap; each gets a
/// strong ETag (a hash of its bytes) so a browser that has them asks only whether they changed.
/// </summary>
internal sealed class DashboardAssets
{
    /// <summary>One file: its bytes, its media type, its ETag.</summary>
    public sealed record Asset(byte[] Content, string ContentType, string ETag);

    private static readonly Lazy<DashboardAssets> Loaded = new(Load);

    private readonly FrozenDictionary<string, Asset> _byName;

    private DashboardAssets(FrozenDictionary<string, Asset> byName) => _byName = byName;

    /// <summary>The files, read from the binary on first use.</summary>
    public static DashboardAssets Instance => Loaded.Value;

    /// <summary>The file called <paramref name="name"/> (<c>index.html</c>, <c>app.js</c>...), or null.</summary>
    public Asset? Find(string name) => _byName.GetValueOrDefault(name);

    private static DashboardAssets Load()
    {
        var assembly = typeof(DashboardAssets).Assembly;
        var files = new Dictionary<string, Asset>(StringComparer.Ordinal);
        foreach (var resource in assembly.GetManifestResourceNames())
        {
            if (!resource.StartsWith(ResourcePrefix, StringComparison.Ordinal)) continue;
            var name = resource[ResourcePrefix.Length..];
            using var stream = assembly.GetManifestResourceStream(resource)!;
            var content = new byte[stream.Length];
            stream.ReadExactly(content);
            var hash = SHA256.HashData(content);
            files[name] = new Asset(content, ContentTypeOf(name), $"\"{Convert.ToHexStringLower(hash, 0, 12)}\"");
        }
        return new DashboardAssets(files.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The prefix the project file gives each embedded file's LogicalName.</summary>
    private const string ResourcePrefix = "dashboard/";

    private static string ContentTypeOf(string name) => Path.GetExtension(name) switch
    {
        ".html" => "text/html; charset=utf-8",
        ".css" => "text/css; charset=utf-8",
        ".js" => "text/javascript; charset=utf-8",
        ".svg" => "image/svg+xml",
        _ => "application/octet-stream",
    };
}
