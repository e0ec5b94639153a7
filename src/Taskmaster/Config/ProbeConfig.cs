namespace Taskmaster.Config;

/// <summary>
/// One check of a program (readiness or liveness): what to ask and how often. <see cref="Target"/> null means none
/// is configured, and then nothing about it runs. Counts are consecutive: <see cref="SuccessThreshold"/> successes in
/// a row make it pass, <see cref="FailureThreshold"/> failures in a row make it fail.
/// </summary>
public sealed record ProbeConfig
{
    public ProbeTarget? Target { get; init; }
    public TimeSpan InitialDelay { get; init; }
    public TimeSpan Period { get; init; }
    public TimeSpan Timeout { get; init; }
    public int SuccessThreshold { get; init; } = 1;
    public int FailureThreshold { get; init; } = 3;
    /// <summary>For an HTTP check: the statuses that count as success (inclusive).</summary>
    public (int Low, int High) HttpStatus { get; init; } = (200, 399);

    /// <summary>True when a check is configured.</summary>
    public bool IsSet => Target is not null;
}

/// <summary>What <c>liveness_check_failure_action</c> does after <c>failure_threshold</c> failures in a row.</summary>
public enum ProbeFailureAction
{
    /// <summary>Stop the program and start it again (whatever autorestart says).</summary>
    Restart,
    /// <summary>Stop the program.</summary>
    Stop,
    /// <summary>End the daemon (exit code 1), as exit_on does.</summary>
    Exit,
}
