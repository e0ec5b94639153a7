using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

/// <summary>
/// The notify sockets (readiness_check_script = notify) against another local user: knowing a program's
/// NOTIFY_SOCKET path must not let them declare it ready; the program's own user may.
/// </summary>
public sealed class NotifySocketTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(90);

    private const string SendReady =
        "import socket, sys; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'READY=1', sys.argv[1])";

    /// <summary>The attack: the path leaks (here the program writes it down), another user sends READY=1 to it.</summary>
    [RequiresFact(Requirement.Root, Requirement.Setpriv, Requirement.Python3)]
    public async Task AnotherUser_CannotDeclareAProgramReady_ItsOwnUserCan()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = /bin/sh -c 'echo "$NOTIFY_SOCKET" > {dir}/socket.tmp && mv {dir}/socket.tmp {dir}/socket; exec sleep 3600'
            startsecs = 60
            readiness_check_script = notify
            """);
        await daemon.StartAsync();
        var socketFile = Path.Combine(daemon.Dir, "socket");
        Assert.True(await ProcFs.Until(() => File.Exists(socketFile), Long), "the program never wrote its NOTIFY_SOCKET");
        var socket = File.ReadAllText(socketFile).Trim();

        var (code, output) = await OtherUser.RunAsync("/usr/bin/python3", "-c", SendReady, socket);

        Assert.NotEqual(0, code);
        Assert.Contains("PermissionError", output);
        var status = await daemon.CtlAsync("status", "web");
        Assert.Contains("STARTING", status.Stdout);

        // The same datagram from the program's own user (here the daemon's) is heard: the socket works.
        var ours = await ProgramRunAsRoot("/usr/bin/python3", "-c", SendReady, socket);
        Assert.Equal(0, ours);
        await daemon.WaitForStatusAsync(l => l.Any(x => x.StartsWith("web ") && x.Contains("RUNNING")), Long);
    }

    [RequiresFact(Requirement.Root, Requirement.Python3)]
    public async Task AProgramRunningAsAnotherUser_ReachesItsSocket()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = /usr/bin/python3 -c "import os, socket, time; socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM).sendto(b'READY=1', os.environ['NOTIFY_SOCKET']); time.sleep(3600)"
            user = nobody
            directory = /
            startsecs = 60
            readiness_check_script = notify
            """);
        await daemon.StartAsync();

        await daemon.WaitForStatusAsync(l => l.Any(x => x.StartsWith("web ") && x.Contains("RUNNING")), Long);
        await daemon.WaitForOutputAsync("success: web entered RUNNING state, readiness check passed");
    }

    private static async Task<int> ProgramRunAsRoot(params string[] argv)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo(argv[0], argv[1..]) { UseShellExecute = false })!;
        using var timeout = new CancellationTokenSource(Long);
        await p.WaitForExitAsync(timeout.Token);
        return p.ExitCode;
    }
}
