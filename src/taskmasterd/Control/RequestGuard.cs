using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// The checks every door (the JSON API today; XML-RPC, the dashboard and metrics as they land) makes before a
/// request is authenticated or read, so that a web page in a local browser can neither act nor read:
/// <list type="bullet">
/// <item>TCP only: the <c>Host</c> header must be one of the listener's names (<see cref="HostAllowList"/>); DNS
/// rebinding makes a browser send the attacker's name.</item>
/// <item>A request from a page of another origin is refused: an <c>Origin</c> header that is not this server's own
/// origin (<c>null</c> included), or a <c>Sec-Fetch-Site</c> other than <c>same-origin</c> or <c>none</c>
/// (<c>same-site</c> is another port of the same host: another local web application).</item>
/// <item>A request that can act (every method but GET and HEAD) must carry its endpoint's own, non-simple media
/// type (<see cref="BodyMediaType"/>): HTML forms and no-CORS fetches can only send simple ones, and the preflight a
/// non-simple one needs is never granted.</item>
/// </list>
/// Our own clients send no <c>Origin</c> or <c>Sec-Fetch-*</c> header, and always the endpoint's media type.
/// </summary>
internal static class RequestGuard
{
    /// <summary>Null when the request may go on, else why it may not.</summary>
    public static (ErrorCode Code, string Message)? Refusal(HttpContext ctx, HostAllowList? hosts)
    {
        var request = ctx.Request;
        if (hosts is not null && !hosts.Admits(request.Host.Host))
            return (ErrorCode.HostNotAllowed,
                $"Host '{request.Host.Value}' is not a name of this server (add it to [inet_http_server] allowed_hosts if it is)");

        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !IsOwnOrigin(origin, request.Host))
            return (ErrorCode.ForeignOrigin, $"requests from web pages of another origin ({origin}) are refused");
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site.Length > 0 && !site.Equals("same-origin", StringComparison.OrdinalIgnoreCase) && !site.Equals("none", StringComparison.OrdinalIgnoreCase))
            return (ErrorCode.ForeignOrigin, $"requests from web pages of another origin (Sec-Fetch-Site: {site}) are refused");

        if (HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method))
            return null;
        if (ctx.GetEndpoint()?.Metadata.GetMetadata<BodyMediaType>() is not { } expected)
            return null; // no endpoint takes this request: routing answers 404 or 405, nothing acts
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var actual)
            || !actual.MediaType.Equals(expected.MediaType, StringComparison.OrdinalIgnoreCase))
            return (ErrorCode.UnsupportedMediaType,
                $"this endpoint takes a body of Content-Type {expected.MediaType}, not {(string.IsNullOrEmpty(request.ContentType) ? "none" : request.ContentType)}");
        return null;
    }

    private static bool IsOwnOrigin(string origin, HostString host)
    {
        if (!Uri.TryCreate(origin, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttp || host.Host.Length == 0)
            return false;
        var port = host.Port ?? 80;
        return uri.IdnHost.Trim('[', ']').Equals(host.Host.Trim('[', ']'), StringComparison.OrdinalIgnoreCase) && uri.Port == port;
    }
}
