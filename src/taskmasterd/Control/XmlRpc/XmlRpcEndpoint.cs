using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// supervisord's XML-RPC door, <c>POST /RPC2</c> (and anything under it, as supervisord matches a prefix), beside the
/// JSON API on the same listeners and behind the same authentication. HTTP-level answers follow supervisord's:
/// 400 for another method or a body that is not a methodCall, 411 without a length, 500 for an internal failure;
/// a method's failure is a 200 carrying a fault. Nothing runs here until a request arrives.
/// </summary>
internal static class XmlRpcEndpoint
{
    public static void Map(WebApplication app, SupervisorRpcInterface rpc, ILogger logger)
    {
        RequestDelegate handler = ctx => HandleAsync(ctx, rpc, logger);
        app.Map("/RPC2", handler);
        app.Map("/RPC2/{**rest}", handler);
    }

    private static async Task HandleAsync(HttpContext ctx, SupervisorRpcInterface rpc, ILogger logger)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            await WriteHtmlErrorAsync(ctx, StatusCodes.Status400BadRequest, "Bad Request");
            return;
        }
        var chunked = ctx.Request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true);
        if (ctx.Request.ContentLength is null && !chunked)
        {
            await WriteHtmlErrorAsync(ctx, StatusCodes.Status411LengthRequired, "Length Required");
            return;
        }

        byte[] body;
        using (var buffer = new MemoryStream())
        {
            await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted);
            body = buffer.ToArray();
        }

        XmlRpcCall call;
        try
        {
            call = XmlRpcRequestReader.Parse(body);
        }
        catch (XmlRpcParseException)
        {
            await WriteHtmlErrorAsync(ctx, StatusCodes.Status400BadRequest, "Bad Request");
            return;
        }

        byte[] reply;
        try
        {
            var value = await rpc.InvokeAsync(call.MethodName, call.Params, ctx.RequestAborted);
            reply = XmlRpcResponseWriter.Success(value);
        }
        catch (XmlRpcFault fault)
        {
            reply = XmlRpcResponseWriter.Fault(fault.Code, fault.Message);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested)
        {
            return; // the client went away while a start or stop waited: nobody to answer
        }
        catch (Exception e)
        {
            ControlServerLog.RequestFailed(logger, e, ctx.Request.Method, $"{ctx.Request.Path} {call.MethodName}");
            await WriteHtmlErrorAsync(ctx, StatusCodes.Status500InternalServerError, "Internal Server Error");
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "text/xml";
        ctx.Response.ContentLength = reply.Length;
        await ctx.Response.Body.WriteAsync(reply, ctx.RequestAborted);
    }

    private static Task WriteHtmlErrorAsync(HttpContext ctx, int status, string reason)
    {
        var body = Encoding.ASCII.GetBytes(
            $"<html><head><title>Error response</title></head><body><h1>Error response</h1><p>Error code {status}.</p><p>Message: {reason}.</p></body></html>");
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "text/html";
        ctx.Response.ContentLength = body.Length;
        return ctx.Response.Body.WriteAsync(body, ctx.RequestAborted).AsTask();
    }
}
