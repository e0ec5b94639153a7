namespace Taskmaster.Config;

/// <summary>
/// When a dependency counts as met for the program that waits for it (<c>depends_on = db:healthy</c>). The words
/// of the three dialects map onto these: the Go port's bare name (<see cref="Running"/>), process-compose's
/// <c>process_*</c> conditions with or without their prefix, and supervisord-dependent-startup's state names
/// (<c>running</c>, <c>exited</c>, <c>starting</c>).
/// </summary>
public enum DependencyCondition
{
    /// <summary>Its child has been spawned (STARTING or later, EXITED included): launch attempted, not necessarily up.</summary>
    Started,
    /// <summary>RUNNING: up for <c>startsecs</c>, or, with a readiness check, ready.</summary>
    Running,
    /// <summary>RUNNING and ready: what RUNNING means for a program with a readiness check.</summary>
    Healthy,
    /// <summary>RUNNING after its readiness log line was seen (a <c>log:</c> readiness check).</summary>
    LogReady,
    /// <summary>EXITED for good (no automatic respawn pending), whatever its exit code.</summary>
    Completed,
    /// <summary>EXITED for good with an expected exit code (in <c>exitcodes</c>).</summary>
    CompletedSuccessfully,
}
