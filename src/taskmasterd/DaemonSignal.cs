namespace Taskmaster.Daemon;

/// <summary>What a signal (or the API's shutdown) asks of the daemon's main loop.</summary>
internal enum DaemonSignal
{
    /// <summary>TERM, INT, QUIT, or the API's shutdown: stop every program and exit.</summary>
    Shutdown,
    /// <summary>HUP: reread the configuration and apply what changed.</summary>
    Reload,
    /// <summary>USR2: reopen every log file.</summary>
    ReopenLogs,
}
