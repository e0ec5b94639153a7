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
    public void WithSession(SupervisorUnderTest sup, string label, Func<string, IReadOnlyList<ProgramSpec>> programs, Action<DaemonSession> body,
        string? extraSections = null)
    {
        var session = LaunchReady(sup, label, programs, extraSections);
        try
        {
            body(session);
            if (!session.HasExited) session.TerminateAndWait(TimeSpan.FromSeconds(120));
            if (sup.Side == Side.Taskmaster) StraysTaskmaster += session.StraysAfterExit; else StraysSupervisord += session.StraysAfterExit;
        }
        finally
        {
            session.Dispose();
            Retire(session.Dir);
        }
    }

    /// <summary>
    /// Launches and waits for the socket, trying twice: a shared machine has transient failures
    /// (a full disk for a moment) that should not strike a supervisor off the whole run.
    /// </summary>
    private DaemonSession LaunchReady(SupervisorUnderTest sup, string label, Func<string, IReadOnlyList<ProgramSpec>> programs, string? extraSections)
    {
        for (var attempt = 1; ; attempt++)
        {
            var session = DaemonSession.Launch(sup, Root, label, programs, extraSections);
            try
            {
                session.WaitSocket(TimeSpan.FromSeconds(60));
                return session;
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException)
            {
                var log = session.DaemonLogTail();
                session.Dispose();
                Retire(session.Dir);
                if (attempt == 2) throw new DaemonUnavailableException($"{e.Message} {log}".Trim());
                Console.WriteLine($"  .. {sup.Name} did not come up ({e.Message}); retrying once");
            }
        }
    }

    /// <summary>
    /// Empties every file of a finished session but deletes nothing: the temp root goes at the end of the run.
    /// On ext4 without a journal (this VM's disk) the inode allocator steps over every inode deleted in the
    /// last 60-300 s, one buffer lookup each: with the ~2000 files of a 1000-program session deleted, each
    /// file the next session created cost ~0.35 ms (perf: find_get_block_common under recently_deleted), for
    /// the daemon's log files and the children's pid files alike, which the bench itself had caused.
    /// Truncating frees the data (the 150 MB of a log flood) and keeps the inodes.
    /// </summary>
    private static void Retire(string dir)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories))
            {
                try { File.WriteAllBytes(file, []); }
                catch (IOException) { }
                catch (UnauthorizedAccessException) { }
            }
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }
}

/// <summary>The daemon never came up: its side is skipped for the rest of the run.</summary>
internal sealed class DaemonUnavailableException(string message) : Exception(message);
