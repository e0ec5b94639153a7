namespace Taskmaster.Config;

/// <summary>
/// When a program's end ends the daemon (<c>exit_on</c>, the container's main-process semantics): taskmasterd then
/// stops every other program (dependents first) and exits with this program's exit code.
/// </summary>
public enum ExitOnPolicy
{
    /// <summary>Never (supervisord's behaviour).</summary>
    Never,
    /// <summary>When it enters FATAL: it cannot be started (too many quick exits, or spawn errors).</summary>
    Fatal,
    /// <summary>When it enters FATAL, or exits from RUNNING with a code not in <c>exitcodes</c> (or by a signal),
    /// instead of any autorestart.</summary>
    Unexpected,
    /// <summary>When it enters FATAL or exits on its own in any way, expected or not (a stop by the operator is not
    /// an exit on its own).</summary>
    Any,
}
