using Taskmaster.Config;

namespace Taskmaster.Supervision;

/// <summary>
/// How fast one process is respawned after exits from RUNNING that autorestart answers (DESIGN §7): the pause
/// (<c>restart_delay</c>, or <c>exp_backoff_restart_delay</c> doubling up to 15 s), when to give up
/// (<c>max_restarts</c> runs in a row shorter than <c>min_uptime</c>), and whether the program restarts faster
/// than 10 times a second, which is worth a warning at most once a minute. All of it is off by default, as in
/// supervisord: without the keys a respawn is immediate and never given up on. Loop-thread only.
/// </summary>
internal sealed class RestartPacing
{
    private static readonly TimeSpan LongestExpDelay = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan RateWindow = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);
    private const int FastRestartsPerWindow = 10;

    private int _quickRuns;
    private TimeSpan _expDelay;
    private DateTimeOffset _windowStart = DateTimeOffset.MinValue;
    private int _inWindow;
    private DateTimeOffset? _lastWarning;

    /// <summary>
    /// The pause before the respawn that follows a run from <paramref name="startedAt"/> to <paramref name="now"/>
    /// (zero: at once), or null when <c>max_restarts</c> says to give up.
    /// </summary>
    public TimeSpan? NextDelay(ProcessConfig config, DateTimeOffset? startedAt, DateTimeOffset now)
    {
        var quick = startedAt is not { } started || now - started < config.MinUptime;
        if (!quick)
        {
            _quickRuns = 0;
            _expDelay = TimeSpan.Zero;
        }
        else if (config.MaxRestarts is { } max && ++_quickRuns > max)
        {
            _quickRuns = 0;
            _expDelay = TimeSpan.Zero;
            return null;
        }
        if (config.ExpBackoffRestartDelay <= TimeSpan.Zero)
            return config.RestartDelay;
        _expDelay = _expDelay == TimeSpan.Zero ? config.ExpBackoffRestartDelay
            : TimeSpan.FromTicks(Math.Min(_expDelay.Ticks * 2, Math.Max(LongestExpDelay.Ticks, config.ExpBackoffRestartDelay.Ticks)));
        return _expDelay;
    }

    /// <summary>Records a respawn at <paramref name="now"/>; true when it makes more than 10 within a second and no
    /// warning was given in the last minute.</summary>
    public bool RecordRespawn(DateTimeOffset now)
    {
        if (now - _windowStart >= RateWindow)
        {
            _windowStart = now;
            _inWindow = 0;
        }
        if (++_inWindow <= FastRestartsPerWindow || (_lastWarning is { } last && now - last < WarningInterval))
            return false;
        _lastWarning = now;
        return true;
    }
}
