using System.Diagnostics;
using Taskmaster.Daemon.Control;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

/// <summary>
/// The activity log and the control socket against another local user (issue 27 item 5): neither lives where that
/// user can rename names, and a root taskmasterctl believes only a server running as itself or root.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class DaemonDoorFileTests
{
    [RequiresFact(Requirement.Root)]
    public async Task Start_WithTheActivityLogInADirectoryOwnedByAnotherUser_RefusesWithTheReason()
    {
        await using var daemon = DaemonUnderTest.Create("");
        var theirs = Path.Combine(daemon.Dir, "theirs");
        Directory.CreateDirectory(theirs);
        StateFileTests.Chown(theirs, OtherUser.Uid);
        var logfile = Path.Combine(theirs, "taskmasterd.log");

        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath, "-l", logfile]);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains($"cannot use logfile {logfile}: directory {theirs} is owned by uid {OtherUser.Uid}", run.Stdout + run.Stderr);
        Assert.False(File.Exists(logfile));
    }

    [RequiresFact(Requirement.Root)]
    public void Socket_InADirectoryOwnedByAnotherUser_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("sockdir-").FullName;
        try
        {
            StateFileTests.Chown(dir, OtherUser.Uid);
            var e = Assert.Throws<ControlServerException>(() => UnixSocketBinding.Prepare(Path.Combine(dir, "tm.sock")));
            Assert.Contains($"directory {dir} is owned by uid {OtherUser.Uid}", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    [Fact]
    public void Socket_InADirectoryOthersCanWrite_NotSticky_IsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("sockdir-").FullName;
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0x1FF); // 0777
            var e = Assert.Throws<ControlServerException>(() => UnixSocketBinding.Prepare(Path.Combine(dir, "tm.sock")));
            Assert.Contains("writable by other users (mode 777) and not sticky", e.Message);
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    /// <summary>The attack as it was made: a user who owns the socket's directory serves their own socket there, and a
    /// root <c>taskmasterctl status</c> printed their answer with exit 0.</summary>
    [RequiresFact(Requirement.Root, Requirement.Setpriv, Requirement.Python3)]
    public async Task Ctl_AsRoot_AgainstASocketServedByAnotherUser_RefusesItsAnswer()
    {
        var dir = Directory.CreateTempSubdirectory("theirsock-").FullName;
        StateFileTests.Chown(dir, OtherUser.Uid);
        var socket = Path.Combine(dir, "tm.sock");
        const string Server = """
            import socket, sys
            s = socket.socket(socket.AF_UNIX)
            s.bind(sys.argv[1]); s.listen(8); print("ready", flush=True)
            body = b'[{"name":"forged","group":"forged","state":"RUNNING","description":"pid 1, uptime 0:00:01","pid":1}]'
            while True:
                c, _ = s.accept(); c.recv(65536)
                c.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: %d\r\n\r\n" % len(body) + body)
                c.close()
            """;
        var psi = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "/usr/bin/python3", "-c", Server, socket])
            psi.ArgumentList.Add(arg);
        using var attacker = Process.Start(psi)!;
        try
        {
            using var ready = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            Assert.Equal("ready", await attacker.StandardOutput.ReadLineAsync(ready.Token));

            var run = await ControlHost.RunAsync(["-s", $"unix://{socket}", "status"]);

            Assert.Equal(4, run.ExitCode);
            Assert.Contains($"unix://{socket} is served by uid {OtherUser.Uid}, neither this user (uid 0) nor root: refusing to trust it", run.Stdout);
            Assert.DoesNotContain("forged", run.Stdout);
        }
        finally
        {
            attacker.Kill();
            await attacker.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }
}
