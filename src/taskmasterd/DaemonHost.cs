// The running daemon: composes the engine, the log capture and the control server, then waits on one
// channel for what signals (and the API's shutdown) ask of it. Start-up order matters:
//   1. process-wide settings (umask, directory, fd limit) before any child exists;
//   2. the activity log, so every later failure is recorded;
//   3. the pid file, then the control socket: a second daemon is refused before it touches anything;
//   4. the engine, and only then autostart; readiness is reported last (to the detaching parent).
using System.Runtime.InteropServices;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Daemon.Control;
using Taskmaster.Logging;
using Taskmaster.Posix;
using Taskmaster.Reaping;
using Taskmaster.Recovery;
using Taskmaster.Signalling;
using Taskmaster.Spawning;
using Taskmaster.Supervision;
using Taskmaster.Supervision.Reload;

namespace Taskmaster.Daemon;

internal sealed class DaemonHost
{
    private readonly Channel<DaemonSignal> _signals = Channel.CreateUnbounded<DaemonSignal>();
    private readonly ShutdownLatch _shutdown = new();
    private readonly DaemonConfigSource _source;
    private readonly SupervisorConfig _config;

    /// <param name="source">Where every reload reads the configuration, as <paramref name="config"/> was read.</param>
    /// <param name="config">The configuration to start with.</param>
    public DaemonHost(DaemonConfigSource source, SupervisorConfig config)
    {
        _source = source;
        _config = config;
    }

    public async Task<int> RunAsync()
    {
        var daemon = _config.Daemon;
        if (DropPrivileges(daemon.User) is { } privilegeError)
        {
            Console.Error.WriteLine($"taskmasterd: {privilegeError}");
            return DaemonCommandLine.ExitError;
        }
        if (ApplyProcessSettings(daemon) is { } settingsError)
        {
            Console.Error.WriteLine($"taskmasterd: {settingsError}");
            return DaemonCommandLine.ExitError;
        }
        // Another user who can rename names next to the activity log could swap it for a symlink to a file of root's,
        // or for a file of theirs that collects everything the daemon logs.
        if (StateFile.UnsafeDirectoryReason(Path.GetDirectoryName(Path.GetFullPath(daemon.Logfile))!) is { } unsafeLogDirectory)
        {
            Console.Error.WriteLine($"taskmasterd: cannot use logfile {daemon.Logfile}: {unsafeLogDirectory}");
            return DaemonCommandLine.ExitError;
        }

        var echo = Detacher.IsDetachedCopy ? null : Console.Error;
        using var activity = new ActivityLogProvider(new ActivityLogOptions
        {
            Path = daemon.Logfile,
            MaxBytes = daemon.LogfileMaxBytes,
            Backups = daemon.LogfileBackups,
            MinLevel = ActivityLogLevels.TryParse(daemon.LogLevel, out var level) ? level.Value : LogLevel.Information,
            Echo = echo,
        });
        using var loggerFactory = LoggerFactory.Create(b => b.AddProvider(activity)
            .SetMinimumLevel(LogLevel.Trace)
            .AddFilter("Microsoft", LogLevel.Warning)); // the web host's per-request chatter is not activity
        var log = loggerFactory.CreateLogger("taskmasterd");
        foreach (var warning in _config.Warnings)
            DaemonLog.ConfigWarning(log, warning.Headline);

        using var pidFile = new PidFile(daemon.Pidfile);
        if (pidFile.TryClaim() is { } refusal)
            return Fail(log, refusal);
        // Crash safety: children of a SIGKILLed predecessor die before any of ours is spawned.
        var childrenFile = ChildRecordFile.NextToPidfile(pidFile.Path);
        await new LeftoverCleaner(new ProcessSignaller(), log, TimeProvider.System) { ChildUids = ChildUids(_config) }
            .StopLeftoversAsync(childrenFile);
        AutoLogCleanup.Run(daemon, log);

        using var spawner = new PosixSpawner();
        // Child subreaper of every program: what a wrapper leaves behind when it dies comes back to us, so a stop
        // hears the last process of a group end instead of polling for it (no other child exists here: Process is banned).
        using var exitWatcher = new ExitWatcher(adoptOrphans: true);
        using var childLogs = new ChildLogs(log);
        // Each child carries this daemon's identity, so a successor finds it even if the children file had not yet.
        var marker = ChildMarker.OfThisProcess();
        var environment = new Dictionary<string, string>(DaemonEnvironment.Current(), StringComparer.Ordinal);
        if (marker is not null) environment[ChildMarker.Variable] = marker;
        await using var supervisor = new Supervisor(_config, spawner, new ProcessSignaller(), exitWatcher, childLogs,
            TimeProvider.System, log, environment);
        await using var registry = new ChildRegistry(supervisor, childrenFile, log, daemonMarker: marker);
        registry.Start();
        var configuration = new ConfigurationController(supervisor, _source.Load);
        var logs = new FileProcessLogs(supervisor, daemon.Logfile, new LogWriteRouter(daemon.Logfile, activity, childLogs));

        ControlServer server;
        try
        {
            var serverOptions = ControlServerOptions.FromConfig(_config) with
            {
                Shutdown = _shutdown,
                ShutdownCompleted = () => _signals.Writer.TryWrite(DaemonSignal.Shutdown),
                Programs = new ProgramCatalog(configuration, supervisor),
                Input = supervisor,
                CurrentConfig = () => configuration.LastRead,
            };
            server = await ControlServer.StartAsync(serverOptions, supervisor, configuration, logs, loggerFactory);
        }
        catch (ControlServerException e)
        {
            return Fail(log, e.Message);
        }

        await using (server)
        using (RegisterSignals(log))
        {
            DaemonLog.Started(log, Environment.ProcessId, _source.Path);
            supervisor.Run();
            // exit_on: a program's failure ends the daemon like a shutdown request, with the program's code.
            _ = supervisor.ExitRequested.ContinueWith(_ => _signals.Writer.TryWrite(DaemonSignal.Shutdown),
                CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            _ = TrimAfterAutostartAsync(supervisor);
            if (Detacher.IsDetachedCopy)
                Detacher.SignalReady();

            await foreach (var signal in _signals.Reader.ReadAllAsync())
            {
                if (signal == DaemonSignal.Shutdown)
                    break;
                if (signal == DaemonSignal.ReopenLogs)
                {
                    activity.Reopen();
                    childLogs.ReopenAll();
                    DaemonLog.LogsReopened(log);
                }
                else if (signal == DaemonSignal.Reload)
                {
                    // A storm of SIGHUPs is one reload: those queued behind this one would read the same file. One that
                    // arrives during the reload still runs after it.
                    while (_signals.Reader.TryPeek(out var next) && next == DaemonSignal.Reload) _signals.Reader.TryRead(out _);
                    await ReloadAsync(configuration, log);
                }
            }

            _shutdown.TryBegin(); // a signal or exit_on: the doors answer SHUTDOWN_STATE from now on
            await supervisor.ShutdownAsync();
            await registry.DisposeAsync();
            registry.DeleteFile(); // every child is reaped: nothing to recover
            DaemonLog.ShuttingDown(log);
        }
        return supervisor.ExitRequested.IsCompletedSuccessfully ? supervisor.ExitRequested.Result : DaemonCommandLine.ExitOk;
    }

    /// <summary>
    /// The loop runs commands in order, so a status request posted after <see cref="Supervisor.Run"/> is answered
    /// once the autostart command has spawned everything: then the start-up garbage can go.
    /// </summary>
    private static async Task TrimAfterAutostartAsync(Supervisor supervisor)
    {
        try
        {
            await supervisor.GetProcessesAsync().ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or InvalidOperationException)
        {
            return; // shutting down already
        }
        MemoryTrim.AfterBurst();
    }

    /// <summary>SIGHUP: reread and apply only what changed, logging every line of the outcome.</summary>
    private static async Task ReloadAsync(IConfigurationControl configuration, ILogger log)
    {
        var results = await configuration.UpdateAsync([]);
        foreach (var result in results)
        {
            if (result.Error is null)
                DaemonLog.ReloadResult(log, result.Group, GroupUpdateWording.Of(result));
            else if (result.Error == ErrorCode.CantReread)
                continue; // the controller already logged each error of the file, with its location
            else
                DaemonLog.ReloadFailed(log, result.Group, result.Message ?? result.Error.ToString()!);
        }
        MemoryTrim.AfterBurst();
    }

    private IDisposable RegisterSignals(ILogger log)
    {
        PosixSignalRegistration On(PosixSignal signal, string name, DaemonSignal meaning) =>
            PosixSignalRegistration.Create(signal, context =>
            {
                context.Cancel = true; // we decide when to exit, after every child is reaped
                DaemonLog.ReceivedSignal(log, name, meaning switch
                {
                    DaemonSignal.Shutdown => "exit request",
                    DaemonSignal.Reload => "reload request",
                    _ => "log reopen request",
                });
                _signals.Writer.TryWrite(meaning);
            });

        var registrations = new[]
        {
            On(PosixSignal.SIGTERM, "SIGTERM", DaemonSignal.Shutdown),
            On(PosixSignal.SIGINT, "SIGINT", DaemonSignal.Shutdown),
            On(PosixSignal.SIGQUIT, "SIGQUIT", DaemonSignal.Shutdown),
            On(PosixSignal.SIGHUP, "SIGHUP", DaemonSignal.Reload),
            On((PosixSignal)Signals.SIGUSR2, "SIGUSR2", DaemonSignal.ReopenLogs),
        };
        return new Registrations(registrations);
    }

    private sealed class Registrations(PosixSignalRegistration[] all) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in all) registration.Dispose();
        }
    }

    /// <summary>[taskmasterd] user=: switch to that user before opening anything, as supervisord does.</summary>
    private static string? DropPrivileges(string? user)
    {
        if (user is null)
            return null;
        var account = UserAccount.Find(user);
        if (account is null)
            return $"can't find user '{user}'";
        var euid = Identity.GetEuid();
        if (euid == account.Uid)
            return null;
        if (euid != 0)
            return $"can't drop privilege as nonroot user (running as uid {euid}, user={user})";
        // Groups first: once the uid is dropped we could no longer change them.
        if (Identity.InitGroups(account.Name, account.Gid) != 0 || Identity.SetGid(account.Gid) != 0
            || Identity.SetUid(account.Uid) != 0)
            return $"could not switch to user '{user}': {Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError())}";
        return null;
    }

    /// <summary>Umask, working directory and descriptor limit, as [taskmasterd] and the flags say.</summary>
    /// <returns>Why the daemon cannot start, or null.</returns>
    private static string? ApplyProcessSettings(DaemonSettings daemon)
    {
        Processes.Umask((uint)daemon.Umask);
        if (daemon.Directory is { } directory)
            Directory.SetCurrentDirectory(directory);
        // Every child costs up to three descriptors (two pipes and a pidfd): minfds is the minimum required to start, as in
        // supervisord, which raises the hard limit too when it may (root). The file's check already refused a value
        // above the ceiling; a limit lowered since is refused here.
        if (ResourceLimits.GetRlimit(ResourceLimits.RLIMIT_NOFILE, out var limit) == 0 && limit.Current < (ulong)daemon.MinFds)
        {
            var wanted = new ResourceLimits.RLimit { Current = (ulong)daemon.MinFds, Max = Math.Max(limit.Max, (ulong)daemon.MinFds) };
            if (ResourceLimits.SetRlimit(ResourceLimits.RLIMIT_NOFILE, wanted) != 0)
                return $"minfds={daemon.MinFds} is more than this environment allows ({limit.Max} open files); "
                    + "raise the limit (ulimit -Hn, LimitNOFILE=) or lower minfds";
        }
        return null;
    }

    /// <summary>The uids the children of <paramref name="config"/> run as: ours, and each configured <c>user=</c>'s.</summary>
    private static HashSet<uint> ChildUids(SupervisorConfig config)
    {
        var uids = new HashSet<uint> { Identity.GetEuid() };
        foreach (var user in config.AllProcesses.Select(p => p.User).OfType<string>().Distinct())
            if (UserAccount.Find(user) is { } account)
                uids.Add(account.Uid);
        return uids;
    }

    private static int Fail(ILogger log, string message)
    {
        DaemonLog.StartFailed(log, message);
        if (Detacher.IsDetachedCopy)
            Console.Error.WriteLine($"taskmasterd: {message}"); // reaches the detaching parent's terminal
        return DaemonCommandLine.ExitError;
    }
}
