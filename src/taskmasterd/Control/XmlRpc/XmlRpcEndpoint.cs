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
        // Every method reaches the handler (which answers 400 to all but POST, as supervisord); a POST must say text/xml.
        app.Map("/RPC2", handler).WithMetadata(BodyMediaType.Xml);
        app.Map("/RPC2/{**rest}", handler).WithMetadata(BodyMediaType.Xml);
    }

    private static async Task HandleAsync(HttpContext ctx, SupervisorRpcInterface rpc, ILogger logger)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status400BadRequest);
            return;
        }
        var chunked = ctx.Request.Headers.TransferEncoding.Any(v => v?.Contains("chunked", StringComparison.OrdinalIgnoreCase) == true);
        if (ctx.Request.ContentLength is null && !chunked)
        {
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status411LengthRequired);
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
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status400BadRequest);
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
            await SupervisorErrorPage.WriteAsync(ctx, StatusCodes.Status500InternalServerError);
            return;
        }

        ctx.Response.StatusCode = StatusCodes.Status200OK;
        ctx.Response.ContentType = "text/xml";
        ctx.Response.ContentLength = reply.Length;
        await ctx.Response.Body.WriteAsync(reply, ctx.RequestAborted);
    }
}
