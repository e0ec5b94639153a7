using Microsoft.Extensions.Logging;

namespace Taskmaster.Logging;

/// <summary>The logger every category gets from <see cref="ActivityLogProvider"/>: formats and posts, never waits.</summary>
internal sealed class ActivityLogger(ActivityLogProvider provider) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => provider.IsEnabled(logLevel);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter)
    {
        if (!provider.IsEnabled(logLevel))
            return;
        provider.Post(logLevel, formatter(state, exception), exception);
    }
}
