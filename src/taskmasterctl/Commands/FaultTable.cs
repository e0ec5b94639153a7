using Taskmaster.Supervision;

namespace Taskmaster.Ctl.Commands;

/// <summary>
/// Each fault code as supervisorctl renders it: the parenthesised reason of <c>web: ERROR (not running)</c> and the
/// LSB exit status it sets. Faults of a dead program (spawn error, abnormal termination, not running) give 7, every
/// other fault 1; a verb may ignore one code, as <c>start</c> ignores ALREADY_STARTED and <c>stop</c> NOT_RUNNING
/// (the line is still printed). Verbs that word a fault their own way (<c>tail</c>'s "no such process name",
/// <c>add</c>'s "process group already active") still take its exit status from here.
/// </summary>
internal static class FaultTable
{
    /// <param name="Reason">supervisorctl's words.</param>
    /// <param name="MessageFirst">The daemon's message, when it sends one, says it better.</param>
    private sealed record Fault(string Reason, int ExitStatus, bool MessageFirst = false);

    private static readonly Dictionary<ErrorCode, Fault> Faults = new()
    {
        [ErrorCode.BadName] = new("no such process", ExitCodes.Error),
        [ErrorCode.NoFile] = new("no such file", ExitCodes.Error),
        [ErrorCode.NotExecutable] = new("file is not executable", ExitCodes.Error),
        [ErrorCode.AlreadyStarted] = new("already started", ExitCodes.Error),
        [ErrorCode.SpawnError] = new("spawn error", ExitCodes.NotRunning),
        [ErrorCode.AbnormalTermination] = new("abnormal termination", ExitCodes.NotRunning),
        [ErrorCode.NotRunning] = new("not running", ExitCodes.NotRunning),
        [ErrorCode.BadSignal] = new("bad signal name", ExitCodes.Error),
        [ErrorCode.Failed] = new("failed", ExitCodes.Error, MessageFirst: true),
    };

    /// <summary>BAD_NAME for <c>group:*</c>: <c>web: ERROR (no such group)</c>. Its exit status is the verb's
    /// (2 for <c>start</c> and <c>restart</c>, 1 otherwise).</summary>
    public const string NoSuchGroup = "no such group";

    /// <summary>The reason in <c>name: ERROR (reason)</c>: supervisorctl's words, else the daemon's message, else the
    /// code's wire name.</summary>
    public static string Reason(ErrorCode code, string? message, string? wireName) => Faults.GetValueOrDefault(code) switch
    {
        { MessageFirst: true } fault => message ?? fault.Reason,
        { } fault => fault.Reason,
        null => message ?? wireName ?? "error",
    };

    public static int ExitStatus(ErrorCode code) => Faults.GetValueOrDefault(code)?.ExitStatus ?? ExitCodes.Error;
}
