using System.Text;
using Microsoft.AspNetCore.Http;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// The HTTP errors of supervisord's own doors (/RPC2, /logtail, /mainlogtail): a status with its reason phrase and a
/// small HTML page with a length. Its clients look only at the status (supervisorctl prints
/// <c>ProtocolError … 404 Not Found</c>), so the page is ours; the JSON API keeps its own error bodies.
/// </summary>
internal static class SupervisorErrorPage
{
    public static Task WriteAsync(HttpContext ctx, int status)
    {
        var reason = ReasonOf(status);
        var body = Encoding.ASCII.GetBytes(
            $"<html><head><title>{status} {reason}</title></head><body><h1>{status} {reason}</h1></body></html>\n");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }

    private static string ReasonOf(int status) => status switch
    {
        StatusCodes.Status400BadRequest => "Bad Request",
        StatusCodes.Status404NotFound => "Not Found",
        StatusCodes.Status411LengthRequired => "Length Required",
        _ => "Internal Server Error",
    };
}
