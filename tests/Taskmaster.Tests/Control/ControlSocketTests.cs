using System.Diagnostics;
using System.Net.Sockets;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Daemon.Control;
using Taskmaster.Tests.Ctl;

namespace Taskmaster.Tests.Control;

/// <summary>Who may reach the control endpoints: socket mode, stale and live sockets, TCP credentials.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ControlSocketTests
{
    [Fact]
    public async Task Socket_IsOwnerOnlyByDefault_AndNoPrivateDirIsLeft()
    {
        await using var host = await ControlHost.StartAsync();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(host.SocketPath));
        Assert.Equal(["tm.sock"], Directory.GetFileSystemEntries(host.Dir, "*.sock").Select(Path.GetFileName));
        Assert.Empty(Directory.GetDirectories(host.Dir));
    }

    [Fact]
    public async Task Socket_ConfiguredChmod_IsApplied()
    {
        await using var host = await ControlHost.StartAsync(o => o with { Unix = o.Unix with { Chmod = 0x1B0 } }); // 0660
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite,
            File.GetUnixFileMode(host.SocketPath));
    }

    [Fact]
    public async Task Socket_HeldByLiveServer_RefusesToStart()
    {
        await using var host = await ControlHost.StartAsync();
        var e = await Assert.ThrowsAsync<ControlServerException>(() => ControlServer.StartAsync(
            new ControlServerOptions { Unix = new UnixHttpServerSettings { File = host.SocketPath } },
            host.Fake, host.Fake, new FileProcessLogs(host.Fake, null, new TickingLogWriteNotifier())));
        Assert.Contains("already listening", e.Message);
        using var client = host.Client();
        Assert.NotEmpty(await client.GetProcessesAsync()); // the live one is untouched
    }

    [RequiresFact(Requirement.Python3)]
    public async Task Socket_StaleFile_IsReplaced()
    {
        var dir = Directory.CreateTempSubdirectory("tmstale-").FullName;
        try
        {
            var path = Path.Combine(dir, "s.sock");
            // A socket file whose server is gone (bound by a process that exited without unlinking it).
            using (var py = Process.Start("/usr/bin/python3", ["-c", $"import socket; socket.socket(socket.AF_UNIX).bind('{path}')"]))
                await py.WaitForExitAsync();
            Assert.True(File.Exists(path));
            var fake = new FakeSupervisor(dir);
            await using var server = await ControlServer.StartAsync(new ControlServerOptions { Unix = new UnixHttpServerSettings { File = path } },
                fake, fake, new FileProcessLogs(fake, null, new TickingLogWriteNotifier()));
            using var client = new ControlClient(new ServerAddress("unix://" + path, path, new Uri("http://localhost/")));
            Assert.NotEmpty(await client.GetProcessesAsync());
        }
        finally { Directory.Delete(dir, true); }
    }

    [RequiresFact(Requirement.Root, Requirement.Setpriv, Requirement.Python3)] // root to switch to another user
    public async Task Socket_OtherUser_CannotConnect()
    {
        await using var host = await ControlHost.StartAsync();
        File.SetUnixFileMode(host.Dir, (UnixFileMode)0x1ED); // 0755: only the socket's own mode protects it now
        var psi = new ProcessStartInfo("setpriv", ["--reuid=nobody", "--regid=nogroup", "--clear-groups", "/usr/bin/python3", "-c",
            $"import socket,sys\ns=socket.socket(socket.AF_UNIX)\ntry:\n s.connect('{host.SocketPath}')\n print('connected')\nexcept PermissionError:\n print('denied')"])
        { RedirectStandardOutput = true, RedirectStandardError = true };
        using var p = Process.Start(psi)!;
        var output = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.Equal("denied", output.Trim());
    }

    [Fact]
    public async Task Tcp_NonLoopbackWithoutCredentials_RefusesToStart()
    {
        var e = await Assert.ThrowsAsync<ControlServerException>(() => ControlHost.StartAsync(o => o with { Inet = new InetHttpServerSettings("*", 0, null, null) }));
        Assert.Contains("without credentials", e.Message);
    }

    [Fact]
    public async Task Tcp_WrongPassword_IsRejected_RightPasswordWorks_ShaPasswordWorks()
    {
        var sha = "{SHA}" + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("s3cret"u8));
        await using var host = await ControlHost.StartAsync(o => o with { Inet = new InetHttpServerSettings("127.0.0.1", 0, "admin", sha) });
        var url = $"http://127.0.0.1:{host.Server.InetPort}";
        var wrong = await ControlHost.RunAsync(["-s", url, "-u", "admin", "-p", "nope", "status"]);
        Assert.Equal("Server requires authentication", wrong.Stdout.Trim());
        Assert.Equal(1, wrong.ExitCode);
        var wrongUser = await ControlHost.RunAsync(["-s", url, "-u", "root", "-p", "s3cret", "status"]);
        Assert.Equal("Server requires authentication", wrongUser.Stdout.Trim());
        var right = await ControlHost.RunAsync(["-s", url, "-u", "admin", "-p", "s3cret", "pid", "web"]);
        Assert.True(right.ExitCode == 0, right.ToString());
        Assert.Equal("1234", right.Stdout.Trim());
        // The Unix socket has no credentials configured: still open to its owner.
        Assert.Equal(0, (await host.RunCtlAsync("pid", "web")).ExitCode);
    }
}
