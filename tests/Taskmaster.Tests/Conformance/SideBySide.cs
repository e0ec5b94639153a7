// One configuration file run by both supervisors, each in a temp directory of its own (its own socket, pid file and
// logs, all named relative to the file with %(here)s, so the two copies of the file are the same text), and the same
// commands sent to each with its own client: supervisord 4.2.5 with supervisorctl, taskmasterd with taskmasterctl.
// supervisord runs in the foreground as the test's child and is always killed on Dispose (its children with it: each
// program's processes are found by the directory in their command line or working directory).
using System.Diagnostics;
using System.Net.Sockets;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.EndToEnd;

namespace Taskmaster.Tests.Conformance;

internal sealed class SideBySide : IAsyncDisposable
{
    /// <summary>What both daemons need before the programs: files next to the configuration, a socket both clients find.</summary>
    public const string Preamble = """
        [unix_http_server]
        file = %(here)s/tm.sock

        [supervisord]
        logfile = %(here)s/daemon.log
        pidfile = %(here)s/daemon.pid
        childlogdir = %(here)s
        {daemon}

        [rpcinterface:supervisor]
        supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface

        [supervisorctl]
        serverurl = unix://%(here)s/tm.sock

        """;

    private Process? _supervisord;
    private readonly System.Text.StringBuilder _supervisordOutput = new();

    private SideBySide(string text, DaemonUnderTest taskmasterd)
    {
        Text = text;
        Taskmasterd = taskmasterd;
        SupervisordDir = Directory.CreateTempSubdirectory("sd-").FullName;
        File.WriteAllText(SupervisordConfig, text);
        File.WriteAllText(taskmasterd.ConfigPath, text);
    }

    /// <summary>The configuration both run: <see cref="Preamble"/> and the programs, <c>{fixtures}</c> replaced.</summary>
    public string Text { get; }
    public DaemonUnderTest Taskmasterd { get; }
    public string SupervisordDir { get; }
    public string SupervisordConfig => Path.Combine(SupervisordDir, "taskmaster.conf");
    public string SupervisordOutput { get { lock (_supervisordOutput) return _supervisordOutput.ToString(); } }

    /// <summary>The file for both (nothing started yet): <paramref name="daemonKeys"/> go into [supervisord] (a second
    /// [supervisord] section would be merged into the first by supervisord, and is an error here: docs/DIFFERENCES.md).</summary>
    public static SideBySide Create(string programs, string daemonKeys = "") =>
        new(Preamble.Replace("{daemon}", daemonKeys) + programs.Replace("{fixtures}", DaemonUnderTest.Fixtures), DaemonUnderTest.Create(""));

    /// <summary>Replaces both copies of the file with <see cref="Preamble"/> and <paramref name="programs"/> (for a
    /// reread or an update), the same text for both.</summary>
    public void Rewrite(string programs, string daemonKeys = "")
    {
        var text = Preamble.Replace("{daemon}", daemonKeys) + programs.Replace("{fixtures}", DaemonUnderTest.Fixtures);
        File.WriteAllText(SupervisordConfig, text);
        File.WriteAllText(Taskmasterd.ConfigPath, text);
    }

    /// <summary>Starts both daemons in the foreground and waits until both serve their sockets.</summary>
    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo("/usr/bin/supervisord", ["-n", "-c", SupervisordConfig])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = SupervisordDir,
        };
        _supervisord = Process.Start(psi)!;
        _supervisord.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (_supervisordOutput) _supervisordOutput.AppendLine(e.Data); };
        _supervisord.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (_supervisordOutput) _supervisordOutput.AppendLine(e.Data); };
        _supervisord.BeginOutputReadLine();
        _supervisord.BeginErrorReadLine();
        _supervisord.StandardInput.Close();
        await Task.WhenAll(Taskmasterd.StartAsync(), WaitForSupervisordAsync());
    }

    private async Task WaitForSupervisordAsync()
    {
        var socket = Path.Combine(SupervisordDir, "tm.sock");
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (_supervisord!.HasExited)
                throw new InvalidOperationException($"supervisord exited with {_supervisord.ExitCode}:\n{SupervisordOutput}");
            try
            {
                using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await probe.ConnectAsync(new UnixDomainSocketEndPoint(socket));
                return;
            }
            catch (SocketException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException($"supervisord did not serve {socket}:\n{SupervisordOutput}");
    }

    /// <summary>The same command through supervisorctl to supervisord and through taskmasterctl to taskmasterd.</summary>
    public async Task<(CtlResult Supervisorctl, CtlResult Taskmasterctl)> BothAsync(params string[] command)
    {
        var theirs = SupervisorctlAsync(command);
        var ours = Taskmasterd.CtlAsync(command);
        return (await theirs, await ours);
    }

    public Task<CtlResult> SupervisorctlAsync(params string[] command) =>
        Run("/usr/bin/supervisorctl", ["-c", SupervisordConfig, .. command]);

    /// <summary>The same command through Debian's supervisorctl to each daemon: to taskmasterd it goes through the
    /// XML-RPC door (its copy of the file names its own socket).</summary>
    public async Task<(CtlResult Supervisord, CtlResult Taskmasterd)> SupervisorctlBothAsync(params string[] command)
    {
        var theirs = SupervisorctlAsync(command);
        var ours = Run("/usr/bin/supervisorctl", ["-c", Taskmasterd.ConfigPath, .. command]);
        return (await theirs, await ours);
    }

    /// <summary>Writes <paramref name="programs"/> after the preamble into both files (for reread and update).</summary>
    public void RewritePrograms(string programs, string daemonKeys = "")
    {
        var text = Preamble.Replace("{daemon}", daemonKeys) + programs.Replace("{fixtures}", DaemonUnderTest.Fixtures);
        foreach (var path in new[] { SupervisordConfig, Taskmasterd.ConfigPath })
        {
            File.WriteAllText(path + ".tmp", text);
            File.Move(path + ".tmp", path, overwrite: true);
        }
    }

    /// <summary>Polls until <paramref name="condition"/> holds, failing with both daemons' output.</summary>
    public async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"timed out waiting for {what}\n--- supervisord:\n{SupervisordOutput}\n--- taskmasterd:\n{Taskmasterd.Output}");
            await Task.Delay(50);
        }
    }

    /// <summary>
    /// Runs a program that does not end by itself (stdin closed) until its stdout holds <paramref name="printed"/>,
    /// then kills it: what it printed up to then, and whether it had exited on its own (with its exit code) or not.
    /// </summary>
    public static async Task<(string Stdout, int? ExitCode)> RunUntilPrintedAsync(string fileName, IReadOnlyList<string> args, string printed)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        var stdout = new System.Text.StringBuilder();
        using var process = Process.Start(psi)!;
        try
        {
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (stdout) stdout.Append(e.Data).Append('\n'); };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            process.StandardInput.Close();
            string Seen() { lock (stdout) return stdout.ToString(); }
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
            while (!Seen().Contains(printed, StringComparison.Ordinal) && !process.HasExited)
            {
                if (DateTime.UtcNow > deadline)
                    throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not print '{printed}':\n{Seen()}");
                await Task.Delay(50);
            }
            if (process.HasExited)
            {
                await process.WaitForExitAsync(); // the last lines of output too
                return (Seen(), process.ExitCode);
            }
            return (Seen(), null);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    /// <summary>Runs a program to completion (stdin closed) and captures what it printed.</summary>
    public static async Task<CtlResult> Run(string fileName, IReadOnlyList<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false, WorkingDirectory = workingDirectory ?? "",
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var (key, value) in environment ?? new Dictionary<string, string>()) psi.Environment[key] = value;
        using var process = Process.Start(psi)!;
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(180));
            await process.WaitForExitAsync(cts.Token);
            return new CtlResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (_supervisord is { HasExited: false })
            {
                ProcFs.Kill(_supervisord.Id, 15);
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                try { await _supervisord.WaitForExitAsync(cts.Token); }
                catch (OperationCanceledException) { _supervisord.Kill(entireProcessTree: true); }
            }
            // Whatever a program left (supervisord stops only each program's first process) dies here.
            foreach (var pid in ProcFs.ProcessesWithCommandLineContaining(SupervisordDir))
                ProcFs.Kill(pid, 9);
            _supervisord?.Dispose();
            try { Directory.Delete(SupervisordDir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        finally
        {
            await Taskmasterd.DisposeAsync();
        }
    }
}
