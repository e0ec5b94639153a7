namespace Taskmaster.Ctl;

/// <summary>taskmasterctl's exit statuses: supervisorctl's LSB codes (DESIGN §4).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int BadArguments = 2;
    /// <summary>From <c>status</c>: a listed process is STOPPED, EXITED, FATAL or UNKNOWN.</summary>
    public const int StatusNotRunning = 3;
    /// <summary>The daemon cannot be reached; from <c>status</c> also: an unknown name.</summary>
    public const int Unreachable = 4;
    /// <summary>Not running / spawn error / abnormal termination.</summary>
    public const int NotRunning = 7;
}
