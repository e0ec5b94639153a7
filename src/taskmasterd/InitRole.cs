// taskmasterd as PID 1 (a container's entry point) splits in two: a tiny init, and the real daemon as its child.
//
// Why: the .NET runtime reaps EVERY child with waitpid(-1) from its SIGCHLD handler when it runs as PID 1
// (System.Native's pal_signal.c: "reapAll = g_pid == 1 || SIGCHLD was ignored"), and that handler is installed as
// soon as Console meets a terminal (docker run -t). Measured: 42 of 51 exit statuses lost, the programs stuck
// RUNNING, SIGTERM never finishing. Without a terminal the statuses survive, but orphans re-parented to PID 1 stay
// zombies forever: the daemon waits only for its own children's pidfds, never waitpid(-1), by design.
//
// So PID 1 only does what an init must: it starts this same program again (posix_spawn, same argv, a marker
// variable) as the daemon, forwards TERM, INT, QUIT, HUP, USR1 and USR2 to it, reaps every process that ends up
// its child (the daemon, and orphans), and exits with the daemon's exit code, or 128+signal if it was killed.
// The daemon is then not PID 1: the runtime leaves its children alone and its pidfd reaper sees every status.
//
// The init touches neither Console nor System.Diagnostics.Process (either would install the runtime's SIGCHLD
// handler, which as PID 1 would race us for the daemon's status); it starts no web server, no supervisor.
// Its main thread is the only waiter: it blocks in waitid(P_ALL, WNOWAIT) and reaps what it sees.
using System.Runtime.InteropServices;
using Taskmaster.Posix;

namespace Taskmaster.Daemon;

internal static partial class InitRole
{
    /// <summary>Set in the daemon child's environment: "you are the daemon under the init, not the init".</summary>
    public const string ChildVariable = "TASKMASTERD_INIT_CHILD";

    /// <summary>Run the daemon itself as PID 1 (statuses are then exposed to the runtime's reaping).</summary>
    public const string OptOutFlag = "--no-init";

    private static readonly int[] ForwardedSignals =
        [Signals.SIGTERM, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGHUP, Signals.SIGUSR1, Signals.SIGUSR2];

    private static readonly Lock Gate = new();
    private static readonly List<int> Pending = [];
    // The daemon's pid while it can receive signals; 0 before the spawn and from the moment it is about to be reaped.
    private static int s_daemonPid;

    /// <summary>True in the daemon started by the init role.</summary>
    public static bool IsDaemonChild => Environment.GetEnvironmentVariable(ChildVariable) == "1";

    /// <summary>True in the process that must play init: PID 1, not opted out, not already the daemon child.</summary>
    public static bool ShouldRun(string[] args) =>
        Environment.ProcessId == 1
        && !args.Contains(OptOutFlag)
        && !IsDaemonChild;

    /// <summary>Starts the daemon, forwards signals to it, reaps everything; returns the daemon's exit code.</summary>
    public static int Run(string[] args)
    {
        // Handlers first: a TERM that arrives while the daemon is being started is held and forwarded after.
        var registrations = ForwardedSignals
            .Select(signal => PosixSignalRegistration.Create((PosixSignal)signal, context =>
            {
                context.Cancel = true; // the init ends when the daemon does, not on a signal
                Forward(signal);
            }))
            .ToArray();
        try
        {
            var pid = SpawnDaemon([.. Detacher.SelfCommand(), .. args], DaemonChildEnvironment(), out var error);
            if (pid <= 0)
            {
                // No child exists yet, so Console cannot cost us a status here.
                Console.Error.WriteLine($"taskmasterd: init: cannot start the daemon: {error}");
                return DaemonCommandLine.ExitError;
            }
            lock (Gate)
            {
                s_daemonPid = pid;
                foreach (var signal in Pending)
                    Signals.Kill(pid, signal);
                Pending.Clear();
            }
            var status = ReapUntilDaemonExits(pid);
            ReapFinishedOrphans();
            return ExitCodeOf(status);
        }
        finally
        {
            foreach (var registration in registrations)
                registration.Dispose();
        }
    }

    /// <summary>The exit code a shell would report for the daemon: its own code, or 128+signal.</summary>
    public static int ExitCodeOf(ExitStatus status) => status.Signal is { } signal ? 128 + signal : status.Code ?? 1;

    private static void Forward(int signal)
    {
        lock (Gate)
        {
            if (s_daemonPid > 0)
                Signals.Kill(s_daemonPid, signal);
            else if (s_daemonPid == 0)
                Pending.Add(signal);
        }
    }

    /// <summary>Reaps orphans as they come until the daemon exits; returns the daemon's status.</summary>
    private static ExitStatus ReapUntilDaemonExits(int daemonPid)
    {
        while (true)
        {
            var exited = WaitForAnyExit();
            if (exited < 0)
                return ExitStatus.Exited(DaemonCommandLine.ExitError); // no child left: cannot happen while the daemon lives
            if (exited != daemonPid)
            {
                Reap(exited);
                continue;
            }
            // Stop forwarding before the pid is freed: after the reap it may name another process.
            lock (Gate)
                s_daemonPid = -1;
            return Reap(daemonPid);
        }
    }

    /// <summary>Orphans that already finished are reaped; the kernel kills any still running when PID 1 exits.</summary>
    private static void ReapFinishedOrphans()
    {
        while (ReapAnyFinished() > 0) { }
    }

    /// <summary>The daemon's environment: ours, plus the marker.</summary>
    private static string[] DaemonChildEnvironment() =>
    [
        .. Environment.GetEnvironmentVariables()
            .Cast<System.Collections.DictionaryEntry>()
            .Where(e => (string)e.Key != ChildVariable)
            .Select(e => $"{e.Key}={e.Value}"),
        $"{ChildVariable}=1",
    ];

    private static string ErrorText(int errno) => Marshal.GetPInvokeErrorMessage(errno);
}
