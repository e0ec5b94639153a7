using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Taskmaster.Config;

namespace Taskmaster.Tests.Logging;

/// <summary>Temp directories, configs and waiting helpers shared by the logging tests.</summary>
internal static class LogTestSupport
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static string NewTempDir()
    {
        string dir = Path.Combine(Path.GetTempPath(), "tm-log-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    public static void DeleteDir(string dir)
    {
        try
        {
            Directory.Delete(dir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    public static ProcessConfig Process(string name, LogTarget stdout, LogTarget? stderr = null) => new()
    {
        Name = name,
        GroupName = name,
        ProgramName = name,
        ProcessNum = 0,
        Command = new CommandLine("true", ["true"]),
        Stdout = stdout,
        Stderr = stderr ?? LogTarget.Discard,
    };

    public static LogTarget File(string path, long maxBytes = 0, int backups = 0) => new(path, false, maxBytes, backups);

    /// <summary>Polls <paramref name="condition"/> until it holds or the deadline passes (no fixed sleeps:
    /// the wait ends as soon as the condition is true).</summary>
    public static Task WaitUntil(Func<bool> condition, string what) => WaitUntil(condition, () => what);

    public static async Task WaitUntil(Func<bool> condition, Func<string> what)
    {
        var until = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
                throw new TimeoutException("timed out waiting for " + what());
            await Task.Delay(10);
        }
    }

    public static string ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The file's content, or "" while it does not exist (a rotation moved it and has not yet reopened
    /// the path): for polling conditions, which must not fail on that short window.</summary>
    public static string ReadSharedOrEmpty(string path)
    {
        try
        {
            return ReadShared(path);
        }
        catch (FileNotFoundException)
        {
            return "";
        }
    }

    public static string Numbered(int i) => $"line {i:D6} " + new string('x', i % 37) + "\n";
}

/// <summary>An ILogger that keeps what it was told, for asserting on reported errors.</summary>
internal sealed class RecordingLogger : ILogger
{
    public ConcurrentQueue<(LogLevel Level, EventId Id, string Message)> Entries { get; } = new();

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => Entries.Enqueue((logLevel, eventId, formatter(state, exception)));

    public int Count(int eventId) => Entries.Count(e => e.Id.Id == eventId);
}
