using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// One check (readiness or liveness) of one process's current child, as the loop follows it: the consecutive
/// counts, whether it passes, and when it is next due. While a check is in flight <see cref="NextAt"/> is its timeout;
/// otherwise it is the next launch. A result whose <see cref="Generation"/> is not the current one (the check timed
/// out, the child is gone) is dropped. Loop thread only.
/// </summary>
internal sealed class ProbeRun(ProbeConfig config, bool liveness)
{
    public ProbeConfig Config { get; } = config;
    public bool IsLiveness { get; } = liveness;
    public string Kind => IsLiveness ? "liveness" : "readiness";

    public int Successes { get; set; }
    public int Failures { get; set; }

    /// <summary>Readiness: ready now. Liveness: not failing (set until failure_threshold failures in a row).</summary>
    public bool Passing { get; set; }

    /// <summary>The last failure's reason, for status and the log.</summary>
    public string? LastFailure { get; set; }

    public DateTimeOffset? NextAt { get; set; }
    public DateTimeOffset LaunchedAt { get; set; }
    public long Generation { get; set; }
    public bool InFlight { get; set; }

    /// <summary>Cancels an asynchronous check in flight (TCP, HTTP, log).</summary>
    public CancellationTokenSource? Cancel { get; set; }

    /// <summary>The pid of an exec check in flight.</summary>
    public int? ExecPid { get; set; }

    /// <summary>Log checks: how far the program's log files had been read (stdout, stderr).</summary>
    public long[] LogOffsets { get; } = [0, 0];

    /// <summary>Notify liveness: when the last <c>WATCHDOG=1</c> came.</summary>
    public DateTimeOffset? LastBeat { get; set; }

    /// <summary>Ends whatever is in flight: its result, if it comes, is stale.</summary>
    public void Abandon()
    {
        Generation++;
        InFlight = false;
        Cancel?.Cancel();
        Cancel?.Dispose();
        Cancel = null;
        ExecPid = null;
    }
}
