namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// Opens the daemon's web dashboard. Over TCP the daemon serves it itself: the URL is printed. Over the unix socket a
/// browser cannot connect, so a loopback port forwards to the socket (<see cref="DashboardForwarder"/>) until Ctrl-C,
/// and its URL is printed. Not a supervisorctl command.
/// </summary>
internal sealed class DashboardCommand : ICtlCommand
{
    public string Name => "dashboard";

    public string Help =>
        "dashboard\t\tServe the web dashboard on a loopback port until Ctrl-C and print its URL\n" +
        "dashboard --port N\tOn port N of 127.0.0.1 (default: any free port)";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        var port = 0;
        if (args.Count == 2 && args[0] == "--port" && int.TryParse(args[1], out var p) && p is > 0 and < 65536) port = p;
        else if (args.Count > 0) { ctx.Usage(this, "Error: dashboard takes only --port N"); return; }

        // Reaching the daemon first (and checking who serves its socket) says at once when it is not there.
        await ctx.Client.GetVersionAsync(ct);
        var address = ctx.Client.Address;
        if (address.SocketPath is null)
        {
            ctx.Output.Say($"dashboard: {address.BaseUri}");
            return;
        }

        DashboardForwarder forwarder;
        try { forwarder = DashboardForwarder.Start(address.SocketPath, port); }
        catch (System.Net.Sockets.SocketException e)
        {
            ctx.Output.Say($"ERROR: cannot listen on 127.0.0.1:{port}: {e.Message}");
            ctx.Fail(ExitCodes.Error);
            return;
        }
        await using (forwarder)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
            ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
            Console.CancelKeyPress += onCancel;
            try
            {
                ctx.Output.Say($"dashboard: http://127.0.0.1:{forwarder.Port}/");
                ctx.Output.Say($"(forwarding to {address.Url} for this user only; Ctrl-C to stop)");
                ctx.Output.Flush();
                await Task.Delay(Timeout.Infinite, stop.Token);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
            finally
            {
                Console.CancelKeyPress -= onCancel;
            }
        }
    }
}
