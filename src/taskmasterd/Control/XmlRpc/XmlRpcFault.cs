using Taskmaster.Supervision;

namespace Taskmaster.Daemon.Control.XmlRpc;

/// <summary>
/// A method's failure, answered as an XML-RPC fault. The fault string is supervisord's: the code's name alone,
/// or <c>NAME: extra</c>; clients print it verbatim, and supervisorctl decides on the code.
/// </summary>
public sealed class XmlRpcFault(int code, string? extra = null) : Exception(FaultString(code, extra))
{
    /// <summary>supervisord's SUCCESS, which appears only as the status of a group operation's result struct.</summary>
    public const int Success = 80;

    public int Code { get; } = code;

    public XmlRpcFault(ErrorCode code, string? extra = null) : this((int)code, extra) { }

    public static string FaultString(int code, string? extra) =>
        string.IsNullOrEmpty(extra) ? NameOf(code) : $"{NameOf(code)}: {extra}";

    /// <summary>supervisord's fault names (<c>supervisor/xmlrpc.py</c> Faults); an unknown code reads UNKNOWN.</summary>
    public static string NameOf(int code) => code switch
    {
        1 => "UNKNOWN_METHOD",
        2 => "INCORRECT_PARAMETERS",
        3 => "BAD_ARGUMENTS",
        4 => "SIGNATURE_UNSUPPORTED",
        6 => "SHUTDOWN_STATE",
        10 => "BAD_NAME",
        11 => "BAD_SIGNAL",
        20 => "NO_FILE",
        21 => "NOT_EXECUTABLE",
        30 => "FAILED",
        40 => "ABNORMAL_TERMINATION",
        50 => "SPAWN_ERROR",
        60 => "ALREADY_STARTED",
        70 => "NOT_RUNNING",
        80 => "SUCCESS",
        90 => "ALREADY_ADDED",
        91 => "STILL_RUNNING",
        92 => "CANT_REREAD",
        _ => "UNKNOWN",
    };
}
