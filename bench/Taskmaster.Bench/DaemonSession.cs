using System.Diagnostics;
using System.Net.Sockets;

namespace Taskmaster.Bench;

/// <summary>
/// One daemon run on one generated config in its own directory: launch in the foreground
/// (<c>-n</c>), client calls, waits on readiness and states, and a teardown that always leaves
/// nothing behind (the daemon is killed if it is still up, then every process carrying this
/// session's marker is swept).
/// </summary>
internal sealed class DaemonSession : IDisposable
{
    private readonly Process _daemon;
    private readonly string _runId;

    /// <summary>The marker value every process of this session carries (see <see cref="StraySweeper"/>).</summary>
    public string RunId => _runId;

    public SupervisorUnderTest Supervisor { get; }
    public string Dir { get; }
    public string ConfigPath { get; }
    public int DaemonPid => _daemon.Id;
    /// <summary>Started when the daemon was launched (before Process.Start).</summary>
    public Stopwatch SinceLaunch { get; }
    public bool HasExited => _daemon.HasExited;

    /// <summary>Processes of this session found alive after the daemon was gone (must be 0).</summary>
    public int StraysAfterExit { get; private set; }

    private DaemonSession(SupervisorUnderTest supervisor, string dir, string configPath, string runId, Process daemon, Stopwatch sinceLaunch)
    {
        Supervisor = supervisor;
        Dir = dir;
        ConfigPath = configPath;
        _runId = runId;
        _daemon = daemon;
        SinceLaunch = sinceLaunch;
    }

    public static string PidsDir(string dir) => Path.Combine(dir, "pids");

    /// <summary>Creates the directory and config, then launches the daemon (does not wait for it).</summary>
    public static DaemonSession Launch(SupervisorUnderTest supervisor, string root, string label, Func<string, IReadOnlyList<ProgramSpec>> programs,
        string? extraSections = null)
    {
        var runId = StraySweeper.NewRunId();
        var dir = Path.Combine(root, $"{(supervisor.Side == Side.Taskmaster ? "tm" : "sd")}-{label}");
        Directory.CreateDirectory(Path.Combine(dir, "logs"));
        Directory.CreateDirectory(PidsDir(dir));
        var config = ConfigWriter.Write(dir, runId, programs(dir), extraSections);

        // The shell wrapper only redirects and then execs, so the pid we hold is the daemon's own.
        var psi = new ProcessStartInfo("/bin/sh") { UseShellExecute = false };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add("exec \"$0\" \"$@\" </dev/null >\"$TMBENCH_DAEMON_LOG\" 2>&1");
        psi.ArgumentList.Add(supervisor.DaemonPath);
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(config);
        psi.ArgumentList.Add("-n");
        psi.Environment["TMBENCH_DAEMON_LOG"] = Path.Combine(dir, "daemon.out");
        psi.Environment[StraySweeper.DaemonVariable] = runId;
        var clock = Stopwatch.StartNew();
        var process = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {supervisor.DaemonPath}");
        return new DaemonSession(supervisor, dir, config, runId, process, clock);
    }

    /// <summary>Runs the client with the session's config; never hangs longer than <paramref name="timeout"/>.</summary>
    public CtlResult Ctl(TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo(Supervisor.CtlPath)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(ConfigPath);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {Supervisor.CtlPath}");
        var stderr = p.StandardError.ReadToEndAsync();
        var stdout = p.StandardOutput.ReadToEndAsync();
        if (!p.WaitForExit(timeout))
        {
            p.Kill(entireProcessTree: true);
            p.WaitForExit();
            throw new TimeoutException($"{Supervisor.Name} client {string.Join(' ', args)} did not answer within {timeout.TotalSeconds:0} s");
        }
        p.WaitForExit();
        var elapsed = clock.Elapsed;
        return new CtlResult(p.ExitCode, stdout.Result + stderr.Result, elapsed);
    }

    public CtlResult Ctl(params string[] args) => Ctl(TimeSpan.FromSeconds(120), args);

    /// <summary>Waits until the control socket accepts a connection.</summary>
    public void WaitSocket(TimeSpan timeout)
    {
        var socketPath = Path.Combine(Dir, "d.sock");
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < timeout)
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"{Supervisor.Name} daemon exited with {_daemon.ExitCode}: {DaemonOutputTail()}");
            if (File.Exists(socketPath))
            {
                try
                {
                    using var s = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                    s.Connect(new UnixDomainSocketEndPoint(socketPath));
                    return;
                }
                catch (SocketException) { }
            }
            Thread.Sleep(5);
        }
        throw new TimeoutException($"{Supervisor.Name} daemon did not serve its socket within {timeout.TotalSeconds:0} s: {DaemonOutputTail()}");
    }

    /// <summary>Waits until <paramref name="count"/> fixtures wrote their pid file (cheap: no client calls).</summary>
    public void WaitPidFiles(int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        while (Directory.EnumerateFiles(PidsDir(Dir)).Count() < count)
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"{Supervisor.Name} daemon exited: {DaemonOutputTail()}");
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{Supervisor.Name}: only {Directory.EnumerateFiles(PidsDir(Dir)).Count()} of {count} programs started within {timeout.TotalSeconds:0} s");
            Thread.Sleep(5);
        }
    }

    /// <summary>Waits until <paramref name="count"/> programs appended their line to the shared <paramref name="file"/>
    /// (<c>benchchild joined</c>).</summary>
    public void WaitJoined(string file, int count, TimeSpan timeout)
    {
        var deadline = Stopwatch.StartNew();
        int Lines()
        {
            try { return File.ReadAllBytes(file).Count(b => b == (byte)'\n'); }
            catch (FileNotFoundException) { return 0; }
        }
        while (Lines() < count)
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"{Supervisor.Name} daemon exited: {DaemonOutputTail()}");
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{Supervisor.Name}: only {Lines()} of {count} programs started within {timeout.TotalSeconds:0} s");
            Thread.Sleep(5);
        }
    }

    /// <summary>Polls <c>status</c> back to back until <paramref name="count"/> programs are RUNNING; returns the last answer.</summary>
    public CtlResult WaitRunning(int count, TimeSpan timeout, params string[] names)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            if (_daemon.HasExited) throw new InvalidOperationException($"{Supervisor.Name} daemon exited: {DaemonOutputTail()}");
            var r = Ctl(["status", .. names]);
            var running = r.CountInState("RUNNING");
            if (running >= count) return r;
            if (deadline.Elapsed > timeout) throw new TimeoutException($"{Supervisor.Name}: {running} of {count} RUNNING after {timeout.TotalSeconds:0} s");
            Thread.Sleep(2);
        }
    }

    /// <summary>SIGTERM to the daemon and the time until it has exited.</summary>
    public TimeSpan TerminateAndWait(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        Posix.Kill(DaemonPid, Posix.SigTerm);
        if (!_daemon.WaitForExit(timeout)) throw new TimeoutException($"{Supervisor.Name} daemon still up {timeout.TotalSeconds:0} s after SIGTERM");
        var elapsed = clock.Elapsed;
        StraysAfterExit = StraySweeper.Sweep(StraySweeper.ProgramVariable, _runId);
        return elapsed;
    }

    public string DaemonOutputTail()
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Dir, "daemon.out")).Trim();
            return text.Length > 400 ? text[^400..] : text;
        }
        catch (IOException) { return ""; }
    }

    /// <summary>The end of the daemon's own activity log (the config's logfile).</summary>
    public string DaemonLogTail()
    {
        try
        {
            var text = File.ReadAllText(Path.Combine(Dir, "daemon.log")).Trim();
            return text.Length > 300 ? text[^300..] : text;
        }
        catch (IOException) { return ""; }
    }

    /// <summary>Graceful stop when possible (counting strays), then a hard sweep of anything left.</summary>
    public void Dispose()
    {
        try
        {
            if (!_daemon.HasExited)
            {
                try { TerminateAndWait(TimeSpan.FromSeconds(90)); }
                catch (TimeoutException) { Posix.Kill(DaemonPid, Posix.SigKill); _daemon.WaitForExit(); }
            }
        }
        finally
        {
            StraySweeper.Sweep(StraySweeper.DaemonVariable, _runId);
            StraySweeper.Sweep(StraySweeper.ProgramVariable, _runId);
            _daemon.Dispose();
        }
    }
}
