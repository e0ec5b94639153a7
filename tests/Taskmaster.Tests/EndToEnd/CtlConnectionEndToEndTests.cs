// How taskmasterctl finds and reaches the daemon: the config file through the real ConfigLoader (also when the
// file has errors: only its control sections are needed), a daemon that is not running, Basic authentication over [inet_http_server], and the shell
// surviving a daemon restart.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Taskmaster.Tests.EndToEnd;

public sealed class CtlConnectionEndToEndTests
{
    private const string Sleeper = """
        [program:sleeper]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0
        """;

    [Fact]
    public async Task DaemonNotRunning_ExitsAsSupervisorctl_WithItsMessage()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var status = await daemon.CtlAsync("status");
        Assert.Equal(4, status.ExitCode);
        Assert.Equal($"unix://{daemon.SocketPath} no such file", status.Stdout.Trim());
        // supervisorctl 4.2.5: 7 (NOTRUNNING) for the verbs it guards, 1 for those it does not (issue 26).
        foreach (var (verb, exit) in new[] { ("start", 7), ("stop", 7), ("tail", 7), ("pid", 7), ("version", 7), ("reread", 1), ("avail", 1) })
        {
            var result = verb is "start" or "stop" or "tail" ? await daemon.CtlAsync(verb, "sleeper") : await daemon.CtlAsync(verb);
            Assert.Equal((verb, exit), (verb, result.ExitCode));
            Assert.Equal($"unix://{daemon.SocketPath} no such file", result.Stdout.Trim());
        }
    }

    [Fact]
    public async Task InetServer_WrongPassword_Exits1_RightPasswordWorks()
    {
        var port = FreeLoopbackPort();
        await using var daemon = DaemonUnderTest.Create(Sleeper + $"""


            [inet_http_server]
            port = 127.0.0.1:{port}
            username = admin
            password = s3cret
            """);
        await daemon.StartAsync();
        var url = $"http://127.0.0.1:{port}";
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));

        var wrong = await daemon.CtlAsync("-s", url, "-u", "admin", "-p", "nope", "status");
        Assert.Equal(("Server requires authentication", 1), (wrong.Stdout.Trim(), wrong.ExitCode));
        var none = await daemon.CtlAsync("-s", url, "status");
        Assert.Equal(("Server requires authentication", 1), (none.Stdout.Trim(), none.ExitCode));
        var right = await daemon.CtlAsync("-s", url, "-u", "admin", "-p", "s3cret", "status");
        Assert.Equal(0, right.ExitCode);
        Assert.Contains("sleeper", right.Stdout);
    }

    internal static int FreeLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    [Fact]
    public async Task ConfigWithErrors_StillFindsTheSocket_TheShellSaysWhere_OneShotCommandsStayQuiet()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));

        // Being edited: a bad value in a program section. The control sections are intact.
        File.AppendAllText(daemon.ConfigPath, "\n[program:broken]\ncommand = /bin/true\nstartsecs = soon\n");
        var status = await daemon.CtlAsync("status");
        Assert.Equal(0, status.ExitCode);
        Assert.Contains("sleeper", status.Stdout);
        Assert.Equal("", status.Stderr); // as supervisorctl: the daemon judges the file (reread, below)

        var shell = await Control.ControlHost.RunAsync(["-c", daemon.ConfigPath], stdin: "quit\n");
        Assert.Equal(0, shell.ExitCode);
        Assert.Contains("sleeper", shell.Stdout);
        Assert.Contains("startsecs", shell.Stderr);
        Assert.Contains("taskmaster.conf:", shell.Stderr);

        var reread = await daemon.CtlAsync("reread");
        Assert.NotEqual(0, reread.ExitCode);
        Assert.Contains("startsecs", reread.Stdout + reread.Stderr);

        // The control sections themselves broken: nothing to go on, the errors say where.
        File.WriteAllText(daemon.ConfigPath, "[unix_http_server]\nchmod = rwx\n");
        var broken = await daemon.CtlAsync("status");
        Assert.Equal(2, broken.ExitCode);
        Assert.Contains("chmod", broken.Stderr);
    }

    [Fact]
    public async Task ConfigFound_InTheCurrentDirectory_WhenNoDashC()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        await daemon.StartAsync();
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = daemon.Dir, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Control.ControlHost.CtlDll);
        psi.ArgumentList.Add("pid");
        using var ctl = Process.Start(psi)!;
        var output = await ctl.StandardOutput.ReadToEndAsync();
        await ctl.WaitForExitAsync();
        Assert.Equal(daemon.Pid.ToString(), output.Trim());
    }
}
