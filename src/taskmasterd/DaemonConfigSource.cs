using Taskmaster.Config;

namespace Taskmaster.Daemon;

/// <summary>
/// The daemon's configuration: the file, with the command line's <c>-l -e -j -d -u</c> over it (flags win, as with
/// supervisord). The first load and every later one (reread, update, reload, SIGHUP) come from <see cref="Load"/>, so a
/// reload compares what the file says now with what it said at start under the same flags, never a flag with the file.
/// </summary>
internal sealed class DaemonConfigSource
{
    private readonly DaemonOptions _flags;

    /// <param name="path">The configuration file, absolute.</param>
    /// <param name="flags">The command line.</param>
    /// <param name="startDirectory">The directory taskmasterd was started in. Relative flag paths are made absolute
    /// against it here, once: the daemon changes directory (<c>-d</c>, <c>directory=</c>) before any reload.</param>
    public DaemonConfigSource(string path, DaemonOptions flags, string startDirectory)
    {
        Path = path;
        _flags = flags with
        {
            Logfile = flags.Logfile is { } l ? System.IO.Path.GetFullPath(l, startDirectory) : null,
            Pidfile = flags.Pidfile is { } p ? System.IO.Path.GetFullPath(p, startDirectory) : null,
        };
    }

    /// <summary>The configuration file, absolute.</summary>
    public string Path { get; }

    /// <summary>Reads the file (and its includes) afresh and applies the flags.</summary>
    /// <exception cref="ConfigException">The file is broken.</exception>
    public SupervisorConfig Load()
    {
        var config = ConfigLoader.Load(Path, host: DaemonHostFacts.Instance);
        var daemon = config.Daemon;
        return config with
        {
            Daemon = daemon with
            {
                Logfile = _flags.Logfile ?? daemon.Logfile,
                LogLevel = _flags.LogLevel ?? daemon.LogLevel,
                Pidfile = _flags.Pidfile ?? daemon.Pidfile,
                Directory = _flags.Directory ?? daemon.Directory,
                User = _flags.User ?? daemon.User,
            },
        };
    }
}
