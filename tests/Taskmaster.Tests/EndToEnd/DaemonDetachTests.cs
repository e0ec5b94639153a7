namespace Taskmaster.Tests.EndToEnd;

/// <summary>taskmasterd without -n: the detached copy, its readiness handshake and its failures (DESIGN §3).</summary>
public class DaemonDetachTests
{
    private const string Sleeper = """
        [program:sleeper]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0
        """;

    [Fact]
    public async Task Detach_ReturnsZeroOnceServing_CopyIsSessionLeaderWithStreamsOnDevNull()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-c", daemon.ConfigPath]);
        var pid = File.Exists(daemon.PidfilePath) ? await daemon.WaitForPidfileAsync() : 0;
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.True(daemon.CanConnect(), "the parent returned before the copy served its socket");
            Assert.NotEqual(0, pid);
            Assert.True(ProcFs.IsAlive(pid));
            // A new session: the copy leads its own session and process group.
            Assert.Equal(pid, ProcFs.Session(pid));
            Assert.Equal(pid, ProcFs.ProcessGroup(pid));
            foreach (var fd in new[] { 0, 1, 2 })
                Assert.Equal("/dev/null", ProcFs.DescriptorTarget(pid, fd));
            await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));
        }
        finally
        {
            if (pid != 0) await daemon.StopByPidfileAsync(pid);
        }
        Assert.False(File.Exists(daemon.PidfilePath));
    }

    [Fact]
    public async Task Detach_BrokenConfig_ExitsTwoWithTheErrorAndStartsNothing()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:bad]
            command = {fixtures}/sleep_forever.sh
            startsecs = soon
            """);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-c", daemon.ConfigPath]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("startsecs", run.Stderr);
        Assert.Contains(daemon.ConfigPath + ":", run.Stderr);
        Assert.False(File.Exists(daemon.PidfilePath));
        Assert.False(daemon.CanConnect());
    }

    [Fact]
    public async Task Detach_SocketBusy_ParentExitsNonZeroWithTheCopysError_FirstDaemonUnaffected()
    {
        await using var first = DaemonUnderTest.Create(Sleeper);
        await first.StartAsync();
        await first.WaitForStatusAsync(lines => lines.Any(l => l.Contains("RUNNING")));

        // Same socket, its own pid file: only the socket can refuse it, and that refusal happens in the copy.
        var otherPidfile = Path.Combine(first.Dir, "second.pid");
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-c", first.ConfigPath, "-j", otherPidfile]);
        Assert.True(run.ExitCode != 0, run.ToString());
        Assert.Contains(first.SocketPath, run.Stderr);
        Assert.False(File.Exists(otherPidfile));

        Assert.False(first.Process.HasExited);
        var status = await first.CtlAsync("status");
        Assert.Contains("RUNNING", status.Stdout);
    }

    [Fact]
    public async Task Detach_PrintsConfigWarningsOnTheTerminal()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper + "\nautorestrat = true\n");
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-c", daemon.ConfigPath]);
        var pid = File.Exists(daemon.PidfilePath) ? await daemon.WaitForPidfileAsync() : 0;
        try
        {
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Contains("autorestrat", run.Stderr);
        }
        finally
        {
            if (pid != 0) await daemon.StopByPidfileAsync(pid);
        }
    }

    [Fact]
    public async Task StaleSocketAndStalePidfile_AreReplaced()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        // A socket file nobody listens on (a crashed daemon's), and a pid file naming a dead process.
        // .NET unlinks the socket files it bound when it closes them, so the stale one is a hard link to it.
        var bound = daemon.SocketPath + ".orig";
        using (var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix,
                   System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified))
        {
            socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(bound));
            using var ln = System.Diagnostics.Process.Start("ln", [bound, daemon.SocketPath])!;
            await ln.WaitForExitAsync();
        }
        Assert.True(File.Exists(daemon.SocketPath));
        File.WriteAllText(daemon.PidfilePath, "999999\n");

        await daemon.StartAsync();
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));
        Assert.Equal(daemon.Pid.ToString(), File.ReadAllText(daemon.PidfilePath).Trim());
    }

    [Fact]
    public async Task DirectoryFlag_ChangesTheDaemonsWorkingDirectory()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var work = Directory.CreateDirectory(Path.Combine(daemon.Dir, "work")).FullName;
        await daemon.StartAsync("-d", work);
        Assert.Equal(work, new DirectoryInfo($"/proc/{daemon.Pid}/cwd").LinkTarget);
    }

    [Fact]
    public async Task UserFlag_UnknownUser_ExitsOneSayingSo()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath, "-u", "no-such-user-tm"]);
        Assert.True(run.ExitCode == 1, run.ToString());
        Assert.Contains("can't find user 'no-such-user-tm'", run.Stderr);
        Assert.False(daemon.CanConnect());
    }
}
