using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands.Verbs;

/// <summary>
/// supervisorctl's fg: follows a running process's stdout and stderr until Ctrl-C, sending typed lines to its stdin;
/// ends when the process dies or the input ends (Ctrl-D).
/// </summary>
internal sealed class ForegroundCommand : ICtlCommand
{
    public string Name => "fg";

    public string Help => "fg <process>\tConnect to a process in foreground mode\n\t\tCtrl-C to exit\n\t\t(typed lines are sent to the process's stdin; Ctrl-D exits too)";

    public ArgumentKind ArgumentAt(int position) => ArgumentKind.ProcessName;

    public async Task RunAsync(IReadOnlyList<string> names, CtlContext ctx, CancellationToken ct)
    {
        if (names.Count == 0) { ctx.Usage(this, "ERROR: no process name supplied"); return; }
        if (names.Count > 1) { ctx.Output.Say("ERROR: too many process names supplied"); ctx.Fail(ExitCodes.Error); return; }
        var name = names[0];
        ProcessInfo info;
        try { info = await ctx.Client.GetProcessAsync(name, ct); }
        catch (ControlApiException e) when (e.Error.Code == ErrorCode.BadName)
        {
            ctx.Output.Say("ERROR: bad process name supplied");
            ctx.Fail(ErrorCode.BadName);
            return;
        }
        if (info.State != "RUNNING")
        {
            ctx.Output.Say("ERROR: process not running");
            ctx.Fail(ExitCodes.Error); // supervisorctl's generic status, not 7
            return;
        }
        var ended = "Exiting foreground";
        // Typed lines go to the process's stdin, as supervisorctl's fg sends them. In the shell only from a terminal:
        // with piped commands the shell's reader has already buffered the lines after "fg", and they are commands.
        var forwardInput = !ctx.Interactive || !Console.IsInputRedirected;
        try
        {
            await LogFollower.FollowAsync(ctx, [(name, LogStream.Stdout), (name, LogStream.Stderr)], ct, !forwardInput ? null : async token =>
            {
                using var input = new InterruptibleStdin();
                var buffer = new byte[16 * 1024];
                while (!token.IsCancellationRequested)
                {
                    var read = input.Read(buffer, token);
                    if (read == 0) return; // end of input (Ctrl-D) leaves foreground mode like Ctrl-C
                    try
                    {
                        await ctx.Client.WriteStdinAsync(info.FullName, buffer.AsMemory(0, read), token);
                    }
                    catch (ControlApiException e) when (e.Error.Code == ErrorCode.InputFull)
                    {
                        // The process is busy, not gone: say what was lost and keep going.
                        ctx.Output.Say($"ERROR: {e.Error.Message}");
                        continue;
                    }
                    catch (ControlApiException e)
                    {
                        ended = e.Error.Code == ErrorCode.NotRunning
                            ? "Process got killed\nExiting foreground"
                            : $"ERROR: {e.Error.Message}\nExiting foreground";
                        return;
                    }
                    // As in supervisorctl, each line is also a chance to notice the process died.
                    if ((await ctx.Client.GetProcessAsync(info.FullName, token)).State != "RUNNING")
                    {
                        ended = "Process got killed\nExiting foreground";
                        return;
                    }
                }
            });
        }
        catch (ControlApiException e) when (LogFollower.IsReadRefusal(e))
        {
            // A log that cannot be followed (stdout_logfile=/dev/stdout): tail's words, then why; no session to leave.
            LogFollower.SayReadRefusal(ctx, name, e);
            return;
        }
        ctx.Output.Say(ended);
    }
}
