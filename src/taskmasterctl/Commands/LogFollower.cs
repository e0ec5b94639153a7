using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// Logs on the terminal: the last bytes of a log (<c>tail</c>, <c>maintail</c>), or logs followed until Ctrl-C
/// (<c>tail -f</c>, <c>maintail -f</c>, and <c>fg</c>, which also forwards the terminal's input while it follows).
/// </summary>
internal static class LogFollower
{
    /// <summary>Prints the last <paramref name="bytes"/> of a log, or follows it; <paramref name="name"/> null is the
    /// daemon's own log. Faults read as supervisorctl's tail words them, under <paramref name="label"/>.</summary>
    public static async Task ShowAsync(CtlContext ctx, string? name, LogStream stream, long bytes, bool follow, string label, CancellationToken ct)
    {
        try
        {
            if (!follow)
            {
                var slice = await ctx.Client.ReadLogAsync(name, stream, -bytes, 0, ct);
                ctx.Output.Result(slice, ControlJsonContext.Default.LogSliceResponse, s => ctx.Output.Say(s.Data));
                return;
            }
            await FollowAsync(ctx, [(name, stream)], ct);
        }
        catch (ControlApiException e) when (IsReadRefusal(e))
        {
            SayReadRefusal(ctx, label, e);
        }
    }

    /// <summary>Whether the daemon refused to read a log (no such process, no log file, or a log that cannot be read
    /// back, such as <c>/dev/stdout</c>), which <see cref="SayReadRefusal"/> words.</summary>
    public static bool IsReadRefusal(ControlApiException e) => e.Error.Code is ErrorCode.NoFile or ErrorCode.BadName or ErrorCode.Failed;

    /// <summary>supervisorctl's tail words for a refused read, under <paramref name="label"/>, then why where the daemon
    /// said; the exit status is the fault's.</summary>
    public static void SayReadRefusal(CtlContext ctx, string label, ControlApiException e)
    {
        ctx.Output.Say(e.Error.Code switch
        {
            ErrorCode.NoFile => $"{label}: ERROR (no log file)",
            ErrorCode.BadName => $"{label}: ERROR (no such process name)",
            _ => $"{label}: ERROR (unknown error reading log)",
        });
        // supervisorctl's line first, for scripts; then why, which it never says.
        if (e.Error.Code == ErrorCode.Failed && !string.IsNullOrEmpty(e.Message)) ctx.Output.Say(e.Message);
        ctx.Fail(e.Error.Code);
    }

    /// <summary>Copies one or more followed logs to stdout until Ctrl-C (or <paramref name="ct"/>), while
    /// <paramref name="alongside"/> (fg's input), if any, runs; its end ends the follow too.</summary>
    public static async Task FollowAsync(CtlContext ctx, IReadOnlyList<(string? Name, LogStream Stream)> sources, CancellationToken ct,
        Func<CancellationToken, Task>? alongside = null)
    {
        ctx.Output.Say("==> Press Ctrl-C to exit <==");
        ctx.Output.Flush();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        ConsoleCancelEventHandler onCancel = (_, e) => { e.Cancel = true; stop.Cancel(); };
        Console.CancelKeyPress += onCancel;
        var stdout = Console.OpenStandardOutput();
        var gate = new SemaphoreSlim(1, 1);
        try
        {
            var streams = new List<Stream>();
            foreach (var (name, stream) in sources)
                streams.Add(await ctx.Client.FollowLogAsync(name, stream, -1600, stop.Token));
            var pumps = streams.Select(async s =>
            {
                var buffer = new byte[16 * 1024];
                int read;
                while ((read = await s.ReadAsync(buffer, stop.Token)) > 0)
                {
                    await gate.WaitAsync(stop.Token);
                    try
                    {
                        await stdout.WriteAsync(buffer.AsMemory(0, read), stop.Token);
                        await stdout.FlushAsync(stop.Token);
                    }
                    finally { gate.Release(); }
                }
            }).ToList();
            // The alongside task (fg's input) may end the follow; the follow does not wait for it to notice the end.
            // Task.Run: it blocks a thread in poll(2) while waiting for input.
            var side = alongside is null ? null
                : Task.Run(() => alongside(stop.Token), CancellationToken.None).ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            try { await Task.WhenAny(side is null ? pumps : [.. pumps, side]); await stop.CancelAsync(); await Task.WhenAll(pumps); }
            catch (OperationCanceledException) { }
            catch (IOException) when (stop.IsCancellationRequested) { }
            foreach (var s in streams) await s.DisposeAsync();
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested) { }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
        ctx.Output.Say("");
    }
}
