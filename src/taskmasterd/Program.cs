using Taskmaster.Posix;

namespace Taskmaster.Daemon;

internal static class Program
{
    private static int Main(string[] args)
    {
        // Before anything can install the runtime's handlers: an inherited SIGCHLD=SIG_IGN would make the kernel
        // (or the runtime) discard every child's exit status, and an ignored TERM, INT, QUIT, HUP or USR2 would
        // never reach the daemon's handlers.
        foreach (var signal in (ReadOnlySpan<int>)[Signals.SIGCHLD, Signals.SIGTERM, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGHUP, Signals.SIGUSR2])
            Signals.ResetIfIgnored(signal);
        // As PID 1 the runtime would reap our children behind the pidfd reaper's back: be a tiny init instead,
        // with the daemon as its child (see InitRole). Decided before parsing: the init touches nothing else.
        if (InitRole.ShouldRun(args))
            return InitRole.Run(args);
        return DaemonCommandLine.Build(options => DaemonProgram.Run(options, args)).Parse(args).Invoke();
    }
}
