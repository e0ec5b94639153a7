using System.Text.Json;
using Taskmaster.Control;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.Ctl;

/// <summary>End to end: the real taskmasterctl binary against the in-process server and the fake engine,
/// checking supervisorctl's wording and exit codes for every command.</summary>
public sealed class CtlCommandTests(SharedControlHost shared) : IClassFixture<SharedControlHost>
{
    private ControlHost Host => shared.Host;

    [Fact]
    public async Task Status_All_PrintsSupervisorctlColumns_AndExit3WhenSomeAreStopped()
    {
        var r = await Host.RunCtlAsync("status");
        Assert.Equal(3, r.ExitCode);
        Assert.Contains($"{"web",-33}{"RUNNING",-10}pid 1234, uptime 0:01:02", r.Lines);
        Assert.Contains($"{"worker:worker_00",-33}{"RUNNING",-10}pid 2000, uptime 0:00:10", r.Lines);
        Assert.Contains($"{"idle",-33}{"STOPPED",-10}Not started", r.Lines);
        Assert.Contains($"{"broken",-33}{"FATAL",-10}Exited too quickly (process log may have details)", r.Lines);
    }

    [Fact]
    public async Task Status_RunningNames_Exit0_AndGroupWildcardListsInstances()
    {
        var r = await Host.RunCtlAsync("status", "web", "worker:*");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(3, r.Lines.Length);
    }

    [Fact]
    public async Task Status_UnknownName_PrintsNoSuchProcess_Exit4()
    {
        var r = await Host.RunCtlAsync("status", "nosuch");
        Assert.Equal(4, r.ExitCode);
        Assert.Contains("nosuch: ERROR (no such process)", r.Lines);
        var g = await Host.RunCtlAsync("status", "nogroup:*");
        Assert.Contains("nogroup: ERROR (no such group)", g.Lines);
    }

    [Fact]
    public async Task Status_Json_PrintsMachineReadableList()
    {
        var r = await Host.RunCtlAsync("--json", "status", "web");
        Assert.Equal(0, r.ExitCode);
        var list = JsonSerializer.Deserialize(r.Stdout, ControlJsonContext.Default.IReadOnlyListProcessInfo)!;
        Assert.Equal("RUNNING", Assert.Single(list).State);
    }

    [Theory]
    [InlineData(new[] { "start", "idle" }, 0, "idle: started")]
    [InlineData(new[] { "start", "web" }, 0, "web: ERROR (already started)")]
    [InlineData(new[] { "start", "broken" }, 7, "broken: ERROR (spawn error)")]
    [InlineData(new[] { "start", "nosuch" }, 1, "nosuch: ERROR (no such process)")]
    [InlineData(new[] { "start", "nogroup:*" }, 2, "nogroup: ERROR (no such group)")]
    // supervisorctl's exit codes: usage errors are GENERIC (1), except `start` without a name (INVALID_ARGS, 2).
    [InlineData(new[] { "start" }, 2, "Error: start requires a process name")]
    [InlineData(new[] { "stop", "web" }, 0, "web: stopped")]
    [InlineData(new[] { "stop", "worker:*" }, 0, "worker:worker_01: stopped")]
    [InlineData(new[] { "stop", "idle" }, 0, "idle: ERROR (not running)")] // supervisorctl ignores NOT_RUNNING on stop
    [InlineData(new[] { "stop", "nosuch" }, 1, "nosuch: ERROR (no such process)")]
    // A bare name is name:name, never a group: worker (numprocs=2) is no such process, as supervisord 4.2.5 says.
    [InlineData(new[] { "stop", "worker" }, 1, "worker: ERROR (no such process)")]
    [InlineData(new[] { "status", "worker" }, 4, "worker: ERROR (no such process)")]
    [InlineData(new[] { "stop", "nogroup:*" }, 1, "nogroup: ERROR (no such group)")]
    [InlineData(new[] { "restart", "nogroup:*" }, 2, "nogroup: ERROR (no such group)")]
    [InlineData(new[] { "signal", "HUP", "nogroup:*" }, 1, "nogroup: ERROR (no such group)")]
    [InlineData(new[] { "stop" }, 1, "Error: stop requires a process name")]
    [InlineData(new[] { "restart", "web" }, 0, "web: stopped")]
    [InlineData(new[] { "restart", "idle" }, 0, "idle: started")]
    [InlineData(new[] { "restart" }, 1, "Error: restart requires a process name")]
    [InlineData(new[] { "signal", "HUP", "web" }, 0, "web: signalled")]
    [InlineData(new[] { "signal", "HUP", "idle" }, 7, "idle: ERROR (not running)")]
    [InlineData(new[] { "signal", "BOGUS", "web" }, 1, "web: ERROR (bad signal name)")]
    [InlineData(new[] { "signal", "HUP" }, 1, "Error: signal requires a signal name and a process name")]
    [InlineData(new[] { "clear", "web" }, 0, "web: cleared")]
    [InlineData(new[] { "clear", "nosuch" }, 1, "nosuch: ERROR (no such process)")]
    [InlineData(new[] { "clear" }, 1, "Error: clear requires a process name")]
    [InlineData(new[] { "pid", "web" }, 0, "1234")]
    [InlineData(new[] { "pid", "idle" }, 7, "0")]
    [InlineData(new[] { "pid", "nosuch" }, 1, "No such process nosuch")]
    [InlineData(new[] { "tail", "web" }, 0, "second line")]
    [InlineData(new[] { "tail", "-12", "web" }, 0, "second line")]
    [InlineData(new[] { "tail", "web", "stderr" }, 0, "oops on stderr")]
    [InlineData(new[] { "tail", "web", "stdbad" }, 1, "Error: bad channel 'stdbad'")]
    [InlineData(new[] { "tail", "nosuch" }, 1, "nosuch: ERROR (no such process name)")]
    [InlineData(new[] { "tail", "idle" }, 1, "idle: ERROR (no log file)")]
    [InlineData(new[] { "tail" }, 1, "Error: too few arguments")]
    [InlineData(new[] { "maintail" }, 0, "2025-01-01 00:00:00,000 INFO spawned: 'web' with pid 1234")]
    [InlineData(new[] { "maintail", "x" }, 1, "Error: bad argument x")]
    [InlineData(new[] { "fg", "idle" }, 1, "ERROR: process not running")]
    [InlineData(new[] { "fg", "nosuch" }, 1, "ERROR: bad process name supplied")]
    [InlineData(new[] { "fg" }, 1, "ERROR: no process name supplied")]
    [InlineData(new[] { "reread" }, 0, "oldprog: disappeared")]
    [InlineData(new[] { "reread", "x" }, 1, "Error: reread accepts no arguments")]
    [InlineData(new[] { "update" }, 0, "newprog: added process group")]
    [InlineData(new[] { "update", "nosuch" }, 1, "ERROR: no such group: nosuch")]
    [InlineData(new[] { "add", "newprog" }, 0, "newprog: added process group")]
    [InlineData(new[] { "add", "web" }, 0, "ERROR: process group already active")]
    [InlineData(new[] { "add", "nosuch" }, 1, "ERROR: no such process/group: nosuch")]
    [InlineData(new[] { "remove", "idle" }, 0, "idle: removed process group")]
    [InlineData(new[] { "remove", "web" }, 1, "ERROR: process/group still running: web")]
    [InlineData(new[] { "remove", "nosuch" }, 1, "ERROR: no such process/group: nosuch")]
    [InlineData(new[] { "reload" }, 0, "Restarted taskmasterd")]
    [InlineData(new[] { "reload", "now" }, 1, "Error: reload accepts no arguments")]
    [InlineData(new[] { "version" }, 0, "9.8.7")]
    [InlineData(new[] { "avail" }, 0, "web                              in use    auto      999:999")]
    [InlineData(new[] { "list" }, 0, "worker                           2/2    RUNNING   auto")]
    [InlineData(new[] { "open", "ftp://x" }, 1, "ERROR: url must be http:// or unix://")]
    [InlineData(new[] { "help" }, 0, "default commands (type help <topic>):")]
    [InlineData(new[] { "help", "stop" }, 0, "stop all\t\tStop all processes")]
    [InlineData(new[] { "help", "bogus" }, 0, "*** No help on bogus")]
    [InlineData(new[] { "frobnicate", "web" }, 1, "*** Unknown syntax: frobnicate web")]
    public async Task Command_PrintsSupervisorctlWording_AndExitCode(string[] args, int exit, string expectedLine)
    {
        var r = await Host.RunCtlAsync(args);
        Assert.True(r.Lines.Contains(expectedLine), $"missing line '{expectedLine}' in:\n{r}");
        Assert.True(exit == r.ExitCode, $"expected exit {exit}:\n{r}");
    }

    [Fact]
    public async Task Stop_Json_SaysWhetherAnUnknownNameMeantAGroupOrAProcess()
    {
        var r = await Host.RunCtlAsync("--json", "stop", "nogroup:*", "worker");
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("\"code\":10,\"error\":\"BAD_NAME\"", r.Stdout); // codes stay numbers on the wire
        var results = JsonSerializer.Deserialize(r.Stdout, ControlJsonContext.Default.ProcessCommandResponse)!.Results;
        Assert.Equal([("nogroup:*", 10, "group"), ("worker", 10, "process")], results.Select(x => (x.Name, (int)(x.Code ?? 0), x.Unknown)));
    }

    [Fact]
    public async Task OneShot_PassesEachArgumentThrough_AQuotedNameWithBlanksStaysOneName()
    {
        // Joined and split again (what supervisorctl does), this was two names, x and y.
        var r = await Host.RunCtlAsync("signal", "HUP", "x y");
        Assert.True(r.ExitCode == 1, r.ToString());
        Assert.Equal(["x y: ERROR (no such process)"], r.Lines);
        Assert.Contains("signal1 x y", Host.Fake.Calls);
    }

    [Fact]
    public async Task OneShot_ASingleArgumentWithBlanks_IsACommandLine_AsSupervisorctlReadsIt()
    {
        var r = await Host.RunCtlAsync("status web");
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal([$"{"web",-33}{"RUNNING",-10}pid 1234, uptime 0:01:02"], r.Lines);
    }

    [Fact]
    public async Task Pid_WithoutName_PrintsDaemonPid()
    {
        var r = await Host.RunCtlAsync("pid");
        Assert.Equal(0, r.ExitCode);
        Assert.Equal(Environment.ProcessId.ToString(), r.Stdout.Trim());
    }

    [Fact]
    public async Task Open_UnixUrl_SwitchesServerAndShowsStatus()
    {
        var r = await ControlHost.RunAsync(["-s", "unix:///nonexistent/x.sock", "open", Host.Url]);
        Assert.Contains(r.Lines, l => l.StartsWith("web ", StringComparison.Ordinal));
        Assert.Equal(0, r.ExitCode);
    }

    [Fact]
    public async Task AnyCommand_WhenDaemonNotRunning_PrintsNoSuchFile_ExitsAsSupervisorctl()
    {
        var socket = Path.Combine(Path.GetTempPath(), $"absent-{Guid.NewGuid():N}.sock");
        foreach (var (command, exit) in new[] { ("status", 4), ("start web", 7), ("stop web", 7), ("tail web", 7), ("version", 7), ("update", 1) })
        {
            var r = await ControlHost.RunAsync(["-s", "unix://" + socket, .. command.Split(' ')]);
            Assert.True(r.ExitCode == exit, r.ToString());
            Assert.Equal($"unix://{socket} no such file", r.Stdout.Trim());
        }
        var shutdown = await ControlHost.RunAsync(["-s", "unix://" + socket, "shutdown"]);
        Assert.Equal($"ERROR: unix://{socket} no such file (already shut down?)", shutdown.Stdout.Trim());
    }

    [Fact]
    public async Task BadGlobalOption_Exit2_WithUsageHint()
    {
        var r = await ControlHost.RunAsync(["--bogus", "status"]);
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("option --bogus not recognized", r.Stderr);
        var missing = await ControlHost.RunAsync(["-c", "/nonexistent/taskmaster.conf", "status"]);
        Assert.Equal(2, missing.ExitCode);
    }

    [Fact]
    public async Task ServerUrl_ComesFromConfigFile_WhenNoDashS()
    {
        var conf = Path.Combine(Host.Dir, "ctl.conf");
        File.WriteAllText(conf, $"[unix_http_server]\nfile = {Host.SocketPath} ; inline comment\n");
        var r = await ControlHost.RunAsync(["-c", conf, "pid", "web"]);
        Assert.True(r.ExitCode == 0, r.ToString());
        Assert.Equal("1234", r.Stdout.Trim());
    }

    [Fact]
    public async Task TailFollow_PrintsNewOutput_UntilInterrupted()
    {
        var log = Path.Combine(Host.Dir, "quiet.out.log");
        File.WriteAllText(log, "");
        // `env --default-signal`: SIGINT may be inherited as ignored when the runner was started from a script.
        var psi = new System.Diagnostics.ProcessStartInfo("env") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in new[] { "--default-signal=INT", "dotnet", ControlHost.CtlDll, "-s", Host.Url, "tail", "-f", "quiet" }) psi.ArgumentList.Add(a);
        using var process = System.Diagnostics.Process.Start(psi)!;
        try
        {
            var seen = new System.Text.StringBuilder();
            var reader = Task.Run(async () =>
            {
                var buffer = new char[1024];
                int n;
                while ((n = await process.StandardOutput.ReadAsync(buffer)) > 0)
                    lock (seen) seen.Append(buffer, 0, n);
            });
            await WaitUntil(() => { lock (seen) return seen.ToString().Contains("==> Press Ctrl-C to exit <=="); });
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                File.AppendAllText(log, "fresh output\n");
                lock (seen) if (seen.ToString().Contains("fresh output")) break;
                await Task.Delay(200);
            }
            lock (seen) Assert.Contains("fresh output", seen.ToString());
            using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString()])) await kill.WaitForExitAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(cts.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited) process.Kill(true);
        }
    }

    internal static async Task WaitUntil(Func<bool> condition, int seconds = 30)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("condition not met in time");
            await Task.Delay(50);
        }
    }
}
