using Microsoft.Extensions.Logging;

namespace Taskmaster.Daemon.Control;

/// <summary>
/// Logs refused requests (failed logins, foreign origins, wrong hosts or media types) without letting a client flood
/// the log: the first refusal after a quiet interval is logged at once, the rest are counted and logged as one summary
/// line per interval, by kind and peer. Thread-safe; the timer runs only while refusals keep coming.
/// </summary>
internal sealed class RefusalLog : IDisposable
{
    /// <summary>How many (kind, peer) counts a summary line names; the rest are added up.</summary>
    private const int NamedInSummary = 5;

    private readonly ILogger _logger;
    private readonly TimeSpan _interval;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string Kind, string Peer), int> _counts = [];
    private bool _windowOpen;

    public RefusalLog(ILogger logger, TimeSpan interval, TimeProvider time)
    {
        _logger = logger;
        _interval = interval;
        _timer = time.CreateTimer(_ => Summarise(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    /// <param name="kind">What was refused, in words: <c>failed login</c>, <c>foreign origin</c>, ...</param>
    /// <param name="peer">Who asked: an address, or <c>unix socket</c>.</param>
    public void Record(string kind, string peer)
    {
        lock (_lock)
        {
            if (_windowOpen)
            {
                _counts[(kind, peer)] = _counts.GetValueOrDefault((kind, peer)) + 1;
                return;
            }
            _windowOpen = true;
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
        }
        ControlServerLog.Refused(_logger, kind, peer);
    }

    private void Summarise()
    {
        List<KeyValuePair<(string Kind, string Peer), int>> counts;
        lock (_lock)
        {
            if (_counts.Count == 0)
            {
                _windowOpen = false; // a quiet interval: the next refusal is logged at once again
                return;
            }
            counts = [.. _counts.OrderByDescending(c => c.Value)];
            _counts.Clear();
            _timer.Change(_interval, Timeout.InfiniteTimeSpan);
        }
        var named = counts.Take(NamedInSummary).Select(c => $"{c.Value} {c.Key.Kind} from {c.Key.Peer}");
        var others = counts.Skip(NamedInSummary).Sum(c => c.Value);
        var details = string.Join(", ", named) + (others > 0 ? $", {others} more" : "");
        ControlServerLog.RefusedSummary(_logger, counts.Sum(c => c.Value), (int)Math.Round(_interval.TotalSeconds), details);
    }

    public void Dispose() => _timer.Dispose();
}
