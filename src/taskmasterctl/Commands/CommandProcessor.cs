using System.Text.Json;
using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// Runs one command (a one-shot invocation's argv, or a line typed in the shell) by handing it to its verb in
/// <see cref="CommandTable"/>, and answers what no verb handles itself in supervisorctl's words: an unknown verb,
/// a daemon that cannot be reached (the verb's <see cref="ICtlCommand.UnreachableExit"/>), a server that wants credentials (the shell asks for them and runs the
/// command again), and any other API error (1).
/// </summary>
internal sealed class CommandProcessor(CtlContext ctx)
{
    private static readonly char[] Blanks = [' ', '\t'];

    /// <summary>Runs a line typed in the shell, split at blanks as supervisorctl's shell splits it; false when it
    /// asks to leave the shell.</summary>
    public Task<bool> ExecuteLineAsync(string line, CancellationToken ct = default) =>
        ExecuteAsync(line.Split(Blanks, StringSplitOptions.RemoveEmptyEntries), line.Trim(), ct);

    /// <summary>
    /// Runs a one-shot command: each argument reaches the verb exactly as the caller's shell passed it (a quoted
    /// name with blanks stays one name). A single argument holding blanks (<c>taskmasterctl 'stop web'</c>, which
    /// supervisorctl accepts because it joins its argv) is read as a line.
    /// </summary>
    public Task<bool> ExecuteAsync(IReadOnlyList<string> argv, CancellationToken ct = default) =>
        argv is [var only] && only.IndexOfAny(Blanks) >= 0 ? ExecuteLineAsync(only, ct) : ExecuteAsync(argv, string.Join(' ', argv), ct);

    private async Task<bool> ExecuteAsync(IReadOnlyList<string> argv, string line, CancellationToken ct)
    {
        if (argv.Count == 0) return true;
        var name = argv[0] switch { "?" => "help", "EOF" => "quit", var word => word };
        if (CommandTable.Find(name) is not { } command)
        {
            ctx.Output.Say($"*** Unknown syntax: {line}");
            ctx.Fail(ExitCodes.Error);
            return true;
        }
        try
        {
            await command.RunAsync(argv.Skip(1).ToList(), ctx, ct);
        }
        catch (ControlUnreachableException e)
        {
            ctx.Output.Say(e.Message);
            ctx.Fail(command.UnreachableExit);
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.Unauthorized)
        {
            ctx.Output.Say("Server requires authentication");
            if (ctx.AskCredentials?.Invoke() is not { } credentials)
            {
                ctx.Fail(ErrorCode.Unauthorized);
                return true;
            }
            ctx.Output.Say("");
            ctx.Reconnect(ctx.Settings with { Username = credentials.Username, Password = credentials.Password });
            return await ExecuteAsync(argv, line, ct); // wrong again: asked again, until right or given up
        }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.ShutdownState)
        {
            ctx.Output.Say("ERROR: already shutting down");
            ctx.Fail(ErrorCode.ShutdownState);
        }
        catch (ControlApiException e)
        {
            ctx.Output.Say($"ERROR: {e.Error.Error}: {e.Message}");
            ctx.Fail(e.Error.Code);
        }
        catch (Exception e) when (e is HttpRequestException or IOException or JsonException)
        {
            ctx.Output.Say($"error: {e.GetType().Name}: {e.Message}");
            ctx.Fail(ExitCodes.Error);
        }
        return !ctx.Ended;
    }
}
