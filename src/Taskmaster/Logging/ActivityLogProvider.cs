// The daemon's activity log in supervisord's format ("2026-11-28 07:59:12,345 INFO spawned: 'web'
// with pid 1234"). Callers only format the line and post it to a bounded channel; one writer task
// batches lines into the rotating file (and the echo writer), so a slow or failing disk never holds
// up the supervision loop. When the channel is full, lines are dropped and a count is logged once
// there is room again. Dispose drains the channel, so the last lines before exit are on disk.
using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Taskmaster.Logging;

/// <summary>An <see cref="ILoggerProvider"/> writing the daemon's activity log, rotated and reopenable.</summary>
public sealed class ActivityLogProvider : ILoggerProvider, ILogWriteNotifier
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(10);

    private readonly ActivityLogOptions _options;
    private readonly Channel<LogLine> _lines;
    private readonly RotatingLogFile? _file;
    private readonly LogWriteSignal _signal = new();
    private readonly ActivityLogger _logger;
    private readonly Task _writer;
    private long _dropped;
    private int _disposed;

    public ActivityLogProvider(ActivityLogOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        MinLevel = options.MinLevel;
        _lines = Channel.CreateBounded<LogLine>(new BoundedChannelOptions(Math.Max(1, options.Capacity))
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: full means "refused", which we count
        });
        if (options.Path is not null)
        {
            // The file's own troubles cannot be logged into itself: they go to the echo, if any.
            ILogger problems = options.Echo is null ? NullLogger.Instance : new EchoLogger(this);
            _file = new RotatingLogFile(options.Path, options.MaxBytes, options.Backups, problems, _signal);
        }
        _logger = new ActivityLogger(this);
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>The minimum level written; may be changed at run time (e.g. after a reload).</summary>
    public LogLevel MinLevel { get; set; }

    /// <summary>Lines refused because the writer was too far behind.</summary>
    public long DroppedLines => Interlocked.Read(ref _dropped);

    public ILogger CreateLogger(string categoryName) => _logger;

    /// <summary>Closes and reopens the log file (SIGUSR2).</summary>
    public void Reopen() => _file?.Reopen();

    public Task WhenWritten(string path) => _signal.Next();

    /// <summary>Writes the pending lines and closes the file.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
            return;
        _lines.Writer.TryComplete();
        _writer.Wait(DrainTimeout);
        _file?.Dispose();
    }

    internal bool IsEnabled(LogLevel level) => level != LogLevel.None && level >= MinLevel;

    internal void Post(LogLevel level, string message, Exception? exception)
    {
        var line = new LogLine(_options.Time.GetLocalNow(), level, message, exception);
        if (!_lines.Writer.TryWrite(line) && Volatile.Read(ref _disposed) == 0)
            Interlocked.Increment(ref _dropped);
    }

    private async Task WriteLoopAsync()
    {
        var text = new StringBuilder();
        long reportedDropped = 0;
        while (await _lines.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            text.Clear();
            while (text.Length < 256 * 1024 && _lines.Reader.TryRead(out var line))
                Format(text, line);
            long dropped = Interlocked.Read(ref _dropped);
            if (dropped != reportedDropped)
            {
                Format(text, new LogLine(_options.Time.GetLocalNow(), LogLevel.Warning,
                    $"activity log overloaded: {dropped - reportedDropped} lines dropped", null));
                reportedDropped = dropped;
            }
            Emit(text.ToString());
        }
    }

    private void Emit(string text)
    {
        if (text.Length == 0)
            return;
        _file?.Write(Encoding.UTF8.GetBytes(text));
        try
        {
            _options.Echo?.Write(text);
            _options.Echo?.Flush();
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException)
        {
            // A closed terminal must not stop the file log.
        }
        if (_file is null)
            _signal.Set();
    }

    private static void Format(StringBuilder text, in LogLine line)
    {
        text.Append(line.Time.ToString("yyyy-MM-dd HH:mm:ss,fff", CultureInfo.InvariantCulture))
            .Append(' ').Append(ActivityLogLevels.Tag(line.Level)).Append(' ').Append(line.Message);
        if (line.Exception is not null)
            text.Append('\n').Append(line.Exception);
        text.Append('\n');
    }

    private readonly record struct LogLine(DateTimeOffset Time, LogLevel Level, string Message, Exception? Exception);

    /// <summary>Reports the log file's own write errors on the echo writer, bypassing the channel.</summary>
    private sealed class EchoLogger(ActivityLogProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter)
        {
            var text = new StringBuilder();
            Format(text, new LogLine(owner._options.Time.GetLocalNow(), logLevel, formatter(state, exception), null));
            try
            {
                owner._options.Echo?.Write(text.ToString());
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
            }
        }
    }
}
