using Taskmaster.Config;
using Taskmaster.Posix;

namespace Taskmaster.Supervision;

/// <summary>
/// <c>exit_on</c>: whether a program's end ends the daemon, and with which exit code. The code is the program's own,
/// as a container's main process gives it: its exit status, 128+N after signal N (a shell's convention, which
/// s6-overlay and docker follow), and 1 for a FATAL that has no failing status of its own (spawn errors).
/// </summary>
internal static class DaemonExit
{
    /// <summary>The daemon's exit code when <paramref name="p"/>'s end (FATAL when <paramref name="fatal"/>, else an exit
    /// from RUNNING, already recorded) ends it, or null when its policy lets the daemon go on.</summary>
    public static int? CodeFor(ManagedProcess p, bool fatal)
    {
        var policy = p.Config.ExitOn;
        if (policy == ExitOnPolicy.Never) return null;
        if (fatal)
        {
            var code = p.LastSpawnFailed ? 1 : Code(p.LastExit);
            return code == 0 ? 1 : code;
        }
        return policy switch
        {
            ExitOnPolicy.Any => Code(p.LastExit),
            ExitOnPolicy.Unexpected when !p.ExitExpected => Code(p.LastExit) is var c && c != 0 ? c : 1,
            _ => null,
        };
    }

    private static int Code(ExitStatus? exit) => exit switch
    {
        { Code: { } code } => code,
        { Signal: { } signal } => 128 + signal,
        _ => 1,
    };
}
