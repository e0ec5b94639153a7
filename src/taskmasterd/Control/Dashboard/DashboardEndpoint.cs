using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Taskmaster.Control;
using Taskmaster.Posix;
using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.Dashboard;

/// <summary>
/// The web dashboard: <c>GET /</c> (the page), <c>GET /dashboard/FILE</c> (its script and style, embedded in the
/// binary) and <c>GET /api/v1/dashboard</c> (everything the page shows at once: the daemon's identity and every
/// process with its counts and, read from /proc at that moment, its CPU time and memory). The page acts and follows
/// through the JSON API it shares with taskmasterctl (start, stop, reread, update, the event stream, log follow), so
/// its results are the API's own. Every route sits behind the middleware of <see cref="ControlApi.Map"/>: the same
/// Host and Origin checks, credentials and connection limits as every other door.
/// Each response of the page carries a strict Content-Security-Policy (scripts and styles from this origin only,
/// no inline script, no framing) so that even a name or a log line that got past the page's escaping could not run.
/// </summary>
internal static class DashboardEndpoint
{
    /// <summary>Only our own files; no inline script or style, no plugin, no framing, no form posting anywhere.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void Map(WebApplication app, ISupervisor supervisor, ControlServerOptions options)
    {
        app.MapGet("/", ctx => ServeAsync(ctx, "index.html"));
        app.MapGet("/dashboard/{file}", ctx => ServeAsync(ctx, (string)ctx.Request.RouteValues["file"]!));
        // The server starts with the daemon (before any program), so its start is the daemon's to the second.
        var startedAt = options.Time.GetUtcNow();
        app.MapGet("/api/v1/dashboard", ctx => StatusAsync(ctx, supervisor, options, startedAt));
    }

    private static async Task ServeAsync(HttpContext ctx, string name)
    {
        if (DashboardAssets.Instance.Find(name) is not { } asset)
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        SetPageHeaders(ctx.Response);
        ctx.Response.Headers.ETag = asset.ETag;
        // Revalidate each time (a daemon upgrade changes the files under the same names); an unchanged file costs a 304.
        ctx.Response.Headers.CacheControl = "no-cache";
        if (ctx.Request.Headers.IfNoneMatch.ToString() == asset.ETag)
        {
            ctx.Response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }
        ctx.Response.ContentType = asset.ContentType;
        ctx.Response.ContentLength = asset.Content.Length;
        if (HttpMethods.IsHead(ctx.Request.Method)) return;
        await ctx.Response.Body.WriteAsync(asset.Content, ctx.RequestAborted);
    }

    private static void SetPageHeaders(HttpResponse response)
    {
        response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        response.Headers.XFrameOptions = "DENY";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        response.Headers["Cross-Origin-Opener-Policy"] = "same-origin";
        response.Headers["Cross-Origin-Resource-Policy"] = "same-origin";
    }

    private static async Task StatusAsync(HttpContext ctx, ISupervisor supervisor, ControlServerOptions options, DateTimeOffset startedAt)
    {
        var processes = await supervisor.GetProcessesAsync(ctx.RequestAborted);
        var now = DateTimeOffset.UtcNow;
        var rows = new List<DashboardProcess>(processes.Count);
        foreach (var p in processes)
        {
            // Read now, for this request only (the same figures as /metrics): nothing samples between two requests.
            var usage = p.Pid is { } pid ? ProcUsage.Read(pid) : null;
            rows.Add(new DashboardProcess(ControlApi.ToInfo(p, now), p.Counts.Restarts, p.Counts.Spawns,
                usage?.CpuSeconds, usage?.ResidentBytes));
        }
        var daemon = new DashboardDaemon(options.Identifier, options.ReportedVersion, Environment.ProcessId,
            startedAt, now, options.CurrentConfig?.Invoke().SourceFile);
        ctx.Response.ContentType = "application/json; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        SetPageHeaders(ctx.Response);
        await JsonSerializer.SerializeAsync(ctx.Response.Body, new DashboardStatus(daemon, rows),
            DashboardJsonContext.Default.DashboardStatus, ctx.RequestAborted);
    }
}
