using Taskmaster.Bench.Report;

namespace Taskmaster.Bench;

/// <summary>
/// What every scenario shares: options, the results, the supervisors under test and the temp root.
/// Runs each measurement for both supervisors, alternating which goes first so that neither
/// always meets a warmer (or busier) machine.
/// </summary>
internal sealed class BenchContext(BenchOptions options, ResultBook book, IReadOnlyList<SupervisorUnderTest> supervisors, string root)
{
    private int _measurement;

    public BenchOptions Options { get; } = options;
    public ResultBook Book { get; } = book;
    public string Root { get; } = root;
    public int StraysTaskmaster { get; private set; }
    public int StraysSupervisord { get; private set; }

    /// <summary>Runs <paramref name="body"/> once per available supervisor; a failure becomes a note, not an abort.</summary>
    public void ForBoth(string section, Action<SupervisorUnderTest> body)
    {
        var order = _measurement++ % 2 == 0 ? supervisors : supervisors.Reverse().ToList();
        foreach (var sup in order)
        {
            if (sup.BrokenReason is not null) continue;
            try
            {
                body(sup);
            }
            catch (DaemonUnavailableException e)
            {
                sup.BrokenReason = e.Message;
                Book.RunNotes.Add($"{sup.Name} skipped from {section} on: {e.Message}");
                Console.WriteLine($"  !! {sup.Name}: {e.Message}");
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException)
            {
                Book.RunNotes.Add($"{section} ({sup.Name}): {e.Message}");
                Console.WriteLine($"  !! {section} ({sup.Name}): {e.Message}");
            }
        }
    }

    /// <summary>
    /// Launches a daemon on the given programs, waits for its socket, runs <paramref name="body"/>,
    /// then stops the daemon if the body did not and counts processes it left behind.
    /// </summary>
    public void WithSession(SupervisorUnderTest sup, string label, Func<string, IReadOnlyList<ProgramSpec>> programs, Action<DaemonSession> body)
    {
        var session = LaunchReady(sup, label, programs);
        try
        {
            body(session);
            if (!session.HasExited) session.TerminateAndWait(TimeSpan.FromSeconds(120));
            if (sup.Side == Side.Taskmaster) StraysTaskmaster += session.StraysAfterExit; else StraysSupervisord += session.StraysAfterExit;
        }
        finally
        {
            session.Dispose();
            TryDelete(session.Dir);
        }
    }

    /// <summary>
    /// Launches and waits for the socket, trying twice: a shared machine has transient failures
    /// (a full disk for a moment) that should not strike a supervisor off the whole run.
    /// </summary>
    private DaemonSession LaunchReady(SupervisorUnderTest sup, string label, Func<string, IReadOnlyList<ProgramSpec>> programs)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = DaemonSession.Launch(sup, Root, label, programs);
            try
            {
                session.WaitSocket(TimeSpan.FromSeconds(60));
                return session;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                var log = session.DaemonLogTail();
                session.Dispose();
                TryDelete(session.Dir);
                if (attempt == 2) throw new DaemonUnavailableException($"{e.Message} {log}".Trim());
                Console.WriteLine($"  .. {sup.Name} did not come up ({e.Message}); retrying once");
            }
        }
    }

    private static void TryDelete(string dir)
    {
        try { Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The daemon never came up: its side is skipped for the rest of the run.</summary>
internal sealed class DaemonUnavailableException(string message) : Exception(message);
