namespace Taskmaster.Bench;

/// <summary>Which of the two supervisors a figure belongs to.</summary>
internal enum Side { Taskmaster, Supervisord }

/// <summary>
/// One supervisor under test: a daemon and a client that share supervisord's command line
/// (<c>daemon -c FILE -n</c>, <c>ctl -c FILE status|start|stop NAME|all</c>), so every scenario
/// drives both the same way.
/// </summary>
internal sealed class SupervisorUnderTest(Side side, string daemonPath, string ctlPath, string version)
{
    public Side Side { get; } = side;
    public string DaemonPath { get; } = daemonPath;
    public string CtlPath { get; } = ctlPath;
    public string Version { get; } = version;
    public string Name => Side == Side.Taskmaster ? "Taskmaster" : "supervisord";

    /// <summary>Set when the daemon could not be brought up; later scenarios skip this side.</summary>
    public string? BrokenReason { get; set; }

    public override string ToString() => Name;
}
