namespace Taskmaster.Daemon.Control;

/// <summary>
/// Endpoint metadata: the one media type this endpoint takes a body in (<c>application/json</c> for the JSON API,
/// <c>application/octet-stream</c> for stdin, <c>text/xml</c> for XML-RPC). None of them is a type an HTML form or a
/// no-CORS <c>fetch</c> may send without a CORS preflight, which the server never grants, so a web page cannot make a
/// browser deliver a request that acts. <see cref="RequestGuard"/> enforces it.
/// </summary>
internal sealed record BodyMediaType(string MediaType)
{
    public static readonly BodyMediaType Json = new("application/json");
    public static readonly BodyMediaType OctetStream = new("application/octet-stream");
    public static readonly BodyMediaType Xml = new("text/xml");
}
