using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Taskmaster.Control;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// supervisord's follow doors beside /RPC2: <c>GET /logtail/NAME[/stdout|stderr]</c> and <c>GET /mainlogtail</c>,
/// which supervisorctl's <c>tail -f</c>, <c>maintail -f</c> and <c>fg</c> read. The answer is a chunked stream that
/// never ends (supervisorctl's HTTP client takes a reply without chunks or a length as finished): the last 1024
/// bytes, then every write as it happens. It follows through <see cref="IProcessLogs.FollowAsync"/>, so it wakes on
/// the writer's notification instead of polling, reads at most one bounded chunk ahead of a slow client, and costs
/// nothing until someone follows. An unknown name, another channel or a log that is not on disk is a 404.
/// </summary>
internal static class LogTailEndpoint
{
    /// <summary>What a follower gets first, as supervisord's tail_f_producer sends.</summary>
    public const int InitialBytes = 1024;

    public static void Map(WebApplication app, IProcessLogs logs)
    {
        app.Map("/logtail/{name}", ctx => FollowAsync(ctx, logs, (string)ctx.Request.RouteValues["name"]!, "stdout"));
        app.Map("/logtail/{name}/{channel}", ctx => FollowAsync(ctx, logs, (string)ctx.Request.RouteValues["name"]!,
            (string)ctx.Request.RouteValues["channel"]!));
        app.Map("/mainlogtail", ctx => FollowAsync(ctx, logs, null, "stdout"));
    }

    private static async Task FollowAsync(HttpContext ctx, IProcessLogs logs, string? name, string channel)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }
        LogStream stream;
        switch (channel)
        {
            case "stdout": stream = LogStream.Stdout; break;
            case "stderr": stream = LogStream.Stderr; break;
            default:
                await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status404NotFound);
                return;
        }
        try
        {
            // Checked before the headers go out: a missing log is an error the client can show, not an empty stream.
            await logs.ReadAsync(name, stream, -1, 0, ctx.RequestAborted);
        }
        catch (ControlOperationException)
        {
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status404NotFound);
            return;
        }

        ctx.Response.ContentType = "text/plain;charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-cache";
        if (name is not null) ctx.Response.Headers["X-Accel-Buffering"] = "no"; // a proxy in front must not hold chunks back
        await ctx.Response.StartAsync(ctx.RequestAborted);
        // Without a flush, the headers of a log that stays empty never leave, and the client waits for them forever.
        await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        await foreach (var chunk in logs.FollowAsync(name, stream, -InitialBytes, ctx.RequestAborted))
        {
            await ctx.Response.Body.WriteAsync(chunk, ctx.RequestAborted);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted);
        }
    }
}
