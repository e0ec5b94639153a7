// A real taskmasterd in a temp directory, for end-to-end tests: the config is written from a template,
// the daemon runs in the foreground (`-n`) as a child of the test, and taskmasterctl is the real binary.
// Everything synchronises on observable facts (the socket accepting, status lines, log lines) with
// deadlines; Dispose kills whatever is left, the daemon's children's groups included.
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.EndToEnd;

internal sealed partial class DaemonUnderTest : IAsyncDisposable
{
    private readonly StringBuilder _output = new();
    private Process? _process;

    private DaemonUnderTest(string dir) => Dir = dir;

    /// <summary>The temp directory holding the config, socket, pid file and logs.</summary>
    public string Dir { get; }
    public string ConfigPath => Path.Combine(Dir, "taskmaster.conf");
    public string SocketPath => Path.Combine(Dir, "tm.sock");
    public string PidfilePath => Path.Combine(Dir, "taskmasterd.pid");
    public string LogfilePath => Path.Combine(Dir, "taskmasterd.log");
    public static string Fixtures => Path.Combine(AppContext.BaseDirectory, "fixtures");
    public static string DaemonDll => Path.Combine(AppContext.BaseDirectory, "taskmasterd.dll");

    /// <summary>The daemon's pid while it runs.</summary>
    public int Pid => _process?.Id ?? throw new InvalidOperationException("not started");
    public Process Process => _process ?? throw new InvalidOperationException("not started");

    /// <summary>What the daemon printed on stdout and stderr so far (its activity log is echoed there with -n).</summary>
    public string Output { get { lock (_output) return _output.ToString(); } }

    /// <summary>
    /// Writes the config: a [taskmasterd]/[unix_http_server]/[taskmasterctl] preamble pointing into the temp
    /// directory, then <paramref name="programs"/>, where <c>{dir}</c> and <c>{fixtures}</c> are replaced.
    /// </summary>
    public static DaemonUnderTest Create(string programs, string? daemonSection = null)
    {
        // Unix socket paths are limited to 108 bytes: keep the directory short.
        var dir = Directory.CreateTempSubdirectory("tmd-").FullName;
        var daemon = new DaemonUnderTest(dir);
        daemon.WriteConfig(programs, daemonSection);
        return daemon;
    }

    public void WriteConfig(string programs, string? daemonSection = null)
    {
        var text = $"""
            [taskmasterd]
            logfile = {LogfilePath}
            pidfile = {PidfilePath}
            childlogdir = {Dir}
            {daemonSection ?? ""}

            [unix_http_server]
            file = {SocketPath}

            [taskmasterctl]
            serverurl = unix://{SocketPath}

            """ + Expand(programs);
        // Atomically (temp file + rename): a reread racing this write sees the old file or the new one.
        var temp = ConfigPath + ".tmp";
        File.WriteAllText(temp, text);
        File.Move(temp, ConfigPath, overwrite: true);
    }

    public string Expand(string text) => text.Replace("{dir}", Dir).Replace("{fixtures}", Fixtures);

    /// <summary>
    /// A command put in front of `dotnet taskmasterd.dll ...` (e.g. <c>["sh", "-c", "umask 000; exec \"$@\"", "sh"]</c>
    /// or <c>["prlimit", "--nofile=64"]</c>) to start the daemon under particular process conditions.
    /// </summary>
    public IReadOnlyList<string> Launcher { get; set; } = [];

    /// <summary>Starts `taskmasterd -n -c config` and waits until its socket accepts connections.</summary>
    public Task StartAsync(params string[] extraArgs) => Launch(extraArgs, waitUntilServing: true);

    /// <summary>Starts `taskmasterd -n -c config` without waiting for it to serve (it may end first, e.g. by exit_on).</summary>
    public Task LaunchAsync(params string[] extraArgs) => Launch(extraArgs, waitUntilServing: false);

    // Always through `env --default-signal`: INT and QUIT may be inherited as ignored when the test runner was
    // started from a script, and the shutdown tests send them. A Launcher (prlimit, sh -c ...) goes after it.
    private Task Launch(string[] extraArgs, bool waitUntilServing) =>
        StartWithAsync("env", ["--default-signal=INT,QUIT", .. Launcher, "dotnet", DaemonDll, "-n", "-c", ConfigPath, .. extraArgs],
            waitUntilServing: waitUntilServing);

    /// <summary>Waits until the control socket accepts a connection, failing fast if the process exits.</summary>
    public async Task WaitUntilServingAsync(Process? process = null, TimeSpan? timeout = null)
    {
        // Generous: a JIT daemon on a loaded two-core machine (load 50 seen) took over a minute to serve.
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(120));
        while (DateTime.UtcNow < deadline)
        {
            if (process is { HasExited: true })
                throw new InvalidOperationException($"taskmasterd exited with {process.ExitCode} before serving:\n{Output}");
            if (CanConnect()) return;
            await Task.Delay(50);
        }
        throw new TimeoutException($"taskmasterd did not serve {SocketPath} in time:\n{Output}");
    }

    public bool CanConnect()
    {
        try
        {
            using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            socket.Connect(new UnixDomainSocketEndPoint(SocketPath));
            return true;
        }
        catch (SocketException) { return false; }
    }

    /// <summary>Runs the real taskmasterctl against this daemon (via its config file).</summary>
    public Task<CtlResult> CtlAsync(params string[] args) => ControlHost.RunAsync(["-c", ConfigPath, .. args]);

    /// <summary>Polls `status` until <paramref name="condition"/> holds on its lines, or fails with the last output.</summary>
    public async Task<CtlResult> WaitForStatusAsync(Func<string[], bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        CtlResult last;
        do
        {
            if (_process is { HasExited: true } exited)
                throw new InvalidOperationException($"taskmasterd exited with {exited.ExitCode} while status was awaited:\n{Output}");
            last = await CtlAsync("status");
            if (condition(last.Lines)) return last;
            await Task.Delay(100);
        } while (DateTime.UtcNow < deadline);
        throw new TimeoutException($"status never matched; last:\n{last}\ndaemon output:\n{Output}");
    }

    /// <summary>Waits until the activity log (echoed on the daemon's stderr) contains <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"daemon never printed '{text}':\n{Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>Sends a signal to the daemon.</summary>
    public void Signal(int signal) => ProcFs.Kill(Pid, signal);

    /// <summary>Waits for the daemon to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        await Process.WaitForExitAsync(cts.Token);
        return Process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            ProcFs.Kill(_process.Id, 15);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try { await _process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { _process.Kill(entireProcessTree: true); }
        }
        // Anything a test left behind in a process group started from our fixtures dies here.
        foreach (var pid in ProcFs.ProcessesWithCommandLineContaining(Dir))
            ProcFs.Kill(pid, 9);
        _process?.Dispose();
        try { Directory.Delete(Dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
