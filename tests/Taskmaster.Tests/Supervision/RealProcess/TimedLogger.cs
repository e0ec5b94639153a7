// The activity log of a real engine, kept with a monotonic timestamp per line so tests can measure the
// gaps the engine promises (backoff waits, stopwaitsecs), and with a "something changed" signal so tests
// wait for a condition on the log or on snapshots without ever sleeping a fixed time. Every state change
// is logged (at Debug, which this logger enables), so any condition on states is re-checked when it may
// have become true.
using System.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Taskmaster.Tests.Supervision.RealProcess;

/// <summary>One logged line: when (since the logger was created), its event id, its text, and the
/// <c>Name</c>/<c>Pid</c> values of the message template when it has them.</summary>
internal readonly record struct LogEntry(TimeSpan At, LogLevel Level, int EventId, string Text, string? Name, int? Pid);

/// <summary>A capturing <see cref="ILogger"/> with timestamps, per-event counts and condition waits.</summary>
internal sealed class TimedLogger : ILogger
{
    // Stable event ids of SupervisorLog (src/Taskmaster/Supervision/SupervisorLog.cs).
    public const int Spawned = 100, SpawnError = 101, Success = 102, ExitedExpected = 103, ExitedUnexpected = 104,
        GaveUp = 105, Stopped = 106, StoppedUnexpected = 107, Killing = 108, StopSignal = 110, KillingLeftovers = 119,
        StoppingLeftovers = 122;

    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly List<LogEntry> _entries = [];
    private readonly Dictionary<int, int> _counts = [];
    private TaskCompletionSource _changed = NewSignal();

    public TimeSpan Now => _clock.Elapsed;

    public IReadOnlyList<LogEntry> Entries
    {
        get { lock (_entries) return [.. _entries]; }
    }

    /// <summary>Lines at Information or above, as an operator reads the activity log.</summary>
    public List<string> Activity => [.. Entries.Where(e => e.Level >= LogLevel.Information).Select(e => e.Text)];

    public List<LogEntry> Of(int eventId, string? name = null) =>
        [.. Entries.Where(e => e.EventId == eventId && (name is null || e.Name == name))];

    /// <summary>How many lines with <paramref name="eventId"/> were logged: cheap, for conditions checked often.</summary>
    public int Count(int eventId)
    {
        lock (_entries) return _counts.GetValueOrDefault(eventId);
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        string? name = null;
        int? pid = null;
        if (state is IReadOnlyList<KeyValuePair<string, object?>> values)
        {
            foreach (var (key, value) in values)
            {
                if (key == "Name") name = value as string;
                else if (key == "Pid" && value is int p) pid = p;
            }
        }
        var text = formatter(state, exception);
        if (exception is not null) text += Environment.NewLine + exception;

        TaskCompletionSource changed;
        lock (_entries)
        {
            _entries.Add(new LogEntry(_clock.Elapsed, logLevel, eventId.Id, text, name, pid));
            _counts[eventId.Id] = _counts.GetValueOrDefault(eventId.Id) + 1;
            changed = _changed;
            _changed = NewSignal();
        }
        changed.TrySetResult();
    }

    public Task Until(Func<bool> condition, TimeSpan deadline, string what) =>
        Until(() => Task.FromResult(condition()), deadline, what);

    /// <summary>Re-checks <paramref name="condition"/> after every new log line until it holds; fails the
    /// test with the log so far when <paramref name="deadline"/> passes first.</summary>
    public async Task Until(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var end = _clock.Elapsed + deadline;
        while (true)
        {
            Task changed;
            lock (_entries) changed = _changed.Task; // taken before the check, so no line slips in between unseen
            if (await condition()) return;
            var left = end - _clock.Elapsed;
            if (left <= TimeSpan.Zero)
                throw new Xunit.Sdk.XunitException($"timed out after {deadline.TotalSeconds} s waiting for {what}\n{Dump()}");
            await Task.WhenAny(changed, Task.Delay(left));
        }
    }

    /// <summary>The last lines, for failure messages.</summary>
    public string Dump(int last = 80) =>
        string.Join(Environment.NewLine, Entries.TakeLast(last).Select(e => $"{e.At.TotalSeconds,9:F3} [{e.EventId}] {e.Text}"));

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
