using Taskmaster.Posix;

namespace Taskmaster.Reaping;

/// <summary>
/// One reaped child: its pid, the process group it was in when it died, and how it ended. For a child the spawner
/// started the group is its own pid (each leads a session); for an orphan adopted as child subreaper
/// (<see cref="IExitWatcher.AdoptsOrphans"/>) it is the group of the program it came from, or of whatever session
/// it made itself.
/// </summary>
public readonly record struct ChildExit(int Pid, int ProcessGroup, ExitStatus Status);
