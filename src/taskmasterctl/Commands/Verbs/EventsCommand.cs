using System.Text.Json;
using Taskmaster.Control;
using Taskmaster.Events;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// Follows supervisor events live, as a listener of those types would get them (the JSON API's event stream), until
/// Ctrl-C: one line per event, or one JSON object per line with <c>--json</c>. Not a supervisorctl command.
/// </summary>
internal sealed class EventsCommand : ICtlCommand
{
    public string Name => "events";

    public string Help =>
        "events [TYPE...] [--json]\tFollow events live (default: every type; e.g. PROCESS_STATE, TICK_5, PROCESS_LOG_STDOUT)\n" +
        "events --name NAME TYPE...\tOnly events about process or group NAME (repeatable)";

    public async Task RunAsync(IReadOnlyList<string> args, CtlContext ctx, CancellationToken ct)
    {
        var json = ctx.Output.IsJson;
        var types = new List<string>();
        var names = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--json") json = true;
            else if (arg == "--name" && i + 1 < args.Count) names.Add(args[++i]);
            else if (EventTypeNames.TryParse(arg, out _)) types.Add(arg.ToUpperInvariant());
            else
            {
                ctx.Usage(this, $"Error: unknown event type {arg}");
                return;
            }
        }
        if (types.Count == 0) types.Add("EVENT");

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        try
        {
            // The banner once the daemon has subscribed us: whatever happens after it is shown.
            void Subscribed()
            {
                if (!json) ctx.Output.Say("==> Press Ctrl-C to exit <==");
                ctx.Output.Flush();
            }
            await foreach (var e in ctx.Client.WatchEventsAsync(types, names, Subscribed, stop.Token))
            {
                ctx.Output.Say(json ? JsonSerializer.Serialize(e, ControlJsonContext.Default.SupervisorEventMessage) : Line(e));
                ctx.Output.Flush();
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        catch (IOException) when (stop.IsCancellationRequested) { }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The event as a listener reads it, on one line: name, serial, then the payload (its data, if any,
    /// on the lines after).</summary>
    private static string Line(SupervisorEventMessage e)
    {
        var head = $"{e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss} {e.Type}{(e.Serial is { } s ? $" serial:{s}" : "")}";
        return e.Payload.Length == 0 ? head : $"{head} {e.Payload.TrimEnd('\n')}";
    }
}
