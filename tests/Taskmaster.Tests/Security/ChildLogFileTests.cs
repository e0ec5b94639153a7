using Taskmaster.Logging;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;
using Taskmaster.Tests.Config;

namespace Taskmaster.Tests.Security;

/// <summary>
/// Child log files against another local user (issue 27 item 3): a root daemon's program output must reach nobody
/// else, and no planted file or symlink may redirect it.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ChildLogFileTests : IDisposable
{
    private const string Secret = "SECRET-7f3a";
    private readonly string _dir = Directory.CreateTempSubdirectory("childlog-").FullName;

    public ChildLogFileTests() => File.SetUnixFileMode(_dir, (UnixFileMode)0x1ED); // 0755: the other user may reach into it

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>A directory like /tmp: root's, writable by all, sticky.</summary>
    private string SharedDirectory(string name)
    {
        var shared = Path.Combine(_dir, name);
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, (UnixFileMode)0x3FF); // 1777
        return shared;
    }

    [RequiresFact(Requirement.Root, Requirement.Setpriv)]
    public async Task AutoLogs_InAStickySharedDirectory_UnderUmask000_ThePlantedFileAndSymlinkGetNothing_AndTheLogsAreOwnerOnly()
    {
        var shared = SharedDirectory("tmp");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious\n");
        // The attack as it was made against the old names: a file to read the output back, a symlink to redirect it.
        await OtherUser.ShAsync($"umask 000; : > {shared}/leaky-stdout.log; ln -s {victim} {shared}/leaky-stderr.log");

        await using var daemon = LeakyDaemon(childLogDir: shared, "umask = 000");
        await daemon.StartAsync();
        await daemon.WaitForRunningAsync("leaky");
        var logs = await WaitForAutoLogsAsync(shared, "leaky", daemon);

        Assert.DoesNotContain(Secret, File.ReadAllText(Path.Combine(shared, "leaky-stdout.log")));
        Assert.Equal("precious\n", File.ReadAllText(victim));
        foreach (var log in logs)
        {
            Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(log)); // 0600 whatever the umask
            var (code, output) = await OtherUser.RunAsync("cat", log);
            Assert.NotEqual(0, code);
            Assert.DoesNotContain(Secret, output);
        }
    }

    [RequiresFact(Requirement.Root, Requirement.Setpriv)]
    public async Task AutoLog_WhoseNameLeaked_PreCreatedOrSymlinkedByAnotherUser_IsRefused()
    {
        var shared = SharedDirectory("tmp");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious\n");
        var planted = Path.Combine(shared, "web-stdout---taskmaster-000000000000.log");
        var linked = Path.Combine(shared, "web-stderr---taskmaster-000000000000.log");
        await OtherUser.ShAsync($"umask 000; : > {planted}; ln -s {victim} {linked}");

        var notOurs = Assert.Throws<IOException>(() => LogFileHandles.OpenForAppend(planted, isPrivate: true));
        Assert.Contains($"owned by uid {OtherUser.Uid}", notOurs.Message);
        var link = Assert.Throws<IOException>(() => LogFileHandles.OpenForAppend(linked, isPrivate: true));
        Assert.Contains("symbolic link", link.Message);
        Assert.Equal("precious\n", File.ReadAllText(victim));
    }

    [RequiresFact(Requirement.Root, Requirement.Setpriv)]
    public async Task NamedLog_InAStickySharedDirectory_PlantedByAnotherUser_IsNotWritten()
    {
        var shared = SharedDirectory("tmp");
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious\n");
        await OtherUser.ShAsync($"umask 000; : > {shared}/out.log; ln -s {victim} {shared}/err.log");

        var notOurs = Assert.Throws<IOException>(() => LogFileHandles.OpenForAppend(Path.Combine(shared, "out.log")));
        Assert.Contains($"owned by uid {OtherUser.Uid}", notOurs.Message);
        // Refused by O_NOFOLLOW, or earlier by the kernel's protected_regular/protected_symlinks where they are on.
        Assert.Throws<IOException>(() => LogFileHandles.OpenForAppend(Path.Combine(shared, "err.log")));
        Assert.Equal("precious\n", File.ReadAllText(victim));
    }

    [Fact]
    public void NamedLog_InADirectoryOthersCanWrite_NotSticky_IsAConfigError()
    {
        var open = Path.Combine(_dir, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF); // 0777, not sticky

        var error = Cfg.FailsOnce($"[program:web]\ncommand=x\nstdout_logfile={open}/out.log\n").Headline;

        Assert.StartsWith("/etc/tm/test.conf:3:16: [program:web] stdout_logfile: refusing a log file where another user could replace it", error);
        Assert.Contains("writable by other users (mode 777) and not sticky", error);
    }

    [Fact]
    public async Task AutoLogs_InAChildLogDirOthersCanWrite_GoToAPrivateDirectory()
    {
        var open = Path.Combine(_dir, "open");
        Directory.CreateDirectory(open);
        File.SetUnixFileMode(open, (UnixFileMode)0x1FF); // 0777, not sticky
        await using var daemon = LeakyDaemon(childLogDir: open);
        await daemon.StartAsync();
        await daemon.WaitForRunningAsync("leaky");

        var @private = Assert.Single(Directory.GetDirectories(open));
        Assert.Equal((UnixFileMode)0x1C0, File.GetUnixFileMode(@private)); // 0700
        Assert.Equal(2, (await WaitForAutoLogsAsync(@private, "leaky", daemon)).Length);
        Assert.Contains($"childlogdir: directory {open} is writable by other users", daemon.Output);
    }

    /// <summary>Each run draws new AUTO names, so a start clears the earlier runs' as supervisord does: only names of
    /// this identifier's form, only regular files of the daemon's user.</summary>
    [RequiresFact(Requirement.Root)]
    public Task Start_DeletesOurEarlierAutoLogs_AndNothingElse() => StartCleansUp(nocleanup: false);

    [RequiresFact(Requirement.Root)]
    public Task Start_WithNocleanup_KeepsEarlierAutoLogs() => StartCleansUp(nocleanup: true);

    private static async Task StartCleansUp(bool nocleanup)
    {
        await using var daemon = DaemonUnderTest.Create("", nocleanup ? "nocleanup = true" : null);
        string In(string name) => Path.Combine(daemon.Dir, name);
        string[] ours = ["web-stdout---taskmaster-0123456789ab.log", "web-stdout---taskmaster-0123456789ab.log.3"];
        string[] others = ["theirs-stdout---taskmaster-0123456789ab.log", "web-stdout---other-0123456789ab.log", "web-stdout---taskmaster-abc.log", "keep.log"];
        foreach (var name in ours.Concat(others))
            File.WriteAllText(In(name), "old\n");
        StateFileTests.Chown(In(others[0]), OtherUser.Uid);

        await daemon.StartAsync();

        foreach (var name in others)
            Assert.True(File.Exists(In(name)), name);
        foreach (var name in ours)
            Assert.Equal(nocleanup, File.Exists(In(name)));
    }

    /// <summary>A daemon whose program prints the secret, its AUTO logs in <paramref name="childLogDir"/>.</summary>
    private static DaemonUnderTest LeakyDaemon(string childLogDir, string daemonSettings = "")
    {
        var daemon = DaemonUnderTest.Create($"""
            [program:leaky]
            command = {DaemonUnderTest.Fixtures}/print_secret.sh {Secret}
            startsecs = 0
            """, daemonSettings);
        File.WriteAllText(daemon.ConfigPath, File.ReadAllText(daemon.ConfigPath)
            .Replace($"childlogdir = {daemon.Dir}\n", $"childlogdir = {childLogDir}\n", StringComparison.Ordinal));
        return daemon;
    }

    /// <summary>The program's AUTO logs, once both hold the secret (read as root).</summary>
    private static async Task<string[]> WaitForAutoLogsAsync(string directory, string name, DaemonUnderTest daemon)
    {
        string[] logs = [];
        await daemon.WaitUntilAsync(() =>
        {
            logs = Directory.GetFiles(directory, $"{name}-std*---taskmaster-*.log");
            return logs.Length == 2 && logs.All(l => File.ReadAllText(l).Contains(Secret, StringComparison.Ordinal));
        }, $"both AUTO logs of {name} in {directory} hold the secret");
        return logs;
    }
}
