using Taskmaster.Control;
using Taskmaster.Names;
using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// The answer of start, stop, restart, signal and clear: a line per process (<c>web: stopped</c>,
/// <c>web: ERROR (not running)</c>, <c>nosuch: ERROR (no such group)</c>) and the exit status of each fault.
/// </summary>
internal static class ProcessResults
{
    /// <param name="success">The word for a process it worked on: <c>started</c>, <c>stopped</c>, ...</param>
    /// <param name="ignored">The fault that does not change the exit status (start: ALREADY_STARTED; stop: NOT_RUNNING).</param>
    /// <param name="noSuchGroupStatus">The exit status of an unknown <c>group:*</c>, which supervisorctl sets per verb.</param>
    public static void Report(CtlContext ctx, ProcessCommandResponse response, string success, ErrorCode? ignored, int noSuchGroupStatus)
    {
        ctx.Output.Result(response, ControlJsonContext.Default.ProcessCommandResponse, r =>
        {
            foreach (var line in r.Results.Select(result => Line(result, success))) ctx.Output.Say(line);
        });
        SetExitStatus(ctx, response, ignored, noSuchGroupStatus);
    }

    public static void SetExitStatus(CtlContext ctx, ProcessCommandResponse response, ErrorCode? ignored, int noSuchGroupStatus)
    {
        foreach (var r in response.Results.Where(r => !r.Ok))
        {
            if (r.Unknown == ProcessCommandResult.UnknownGroup) ctx.Fail(noSuchGroupStatus);
            else ctx.Fail(r.Code ?? ErrorCode.Failed, ignored);
        }
    }

    private static string Line(ProcessCommandResult r, string success) =>
        r.Ok ? $"{r.Name}: {success}"
        : r.Unknown == ProcessCommandResult.UnknownGroup ? $"{Namespec.Parse(r.Name).Group}: ERROR ({FaultTable.NoSuchGroup})"
        : $"{r.Name}: ERROR ({FaultTable.Reason(r.Code ?? ErrorCode.Failed, r.Message, r.Error)})";
}
