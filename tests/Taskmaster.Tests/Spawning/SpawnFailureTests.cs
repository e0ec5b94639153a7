using Taskmaster.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Spawning;

/// <summary>Commands that cannot start fail with supervisord's <c>spawnerr</c> wording and create no process.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnFailureTests : IDisposable
{
    private readonly PosixSpawner _spawner = new();
    private readonly string _dir = TempDir();

    public void Dispose()
    {
        _spawner.Dispose();
        Directory.Delete(_dir, recursive: true);
    }

    private string FailureOf(SpawnRequest request) =>
        Assert.IsType<SpawnResult.Failed>(_spawner.Spawn(request)).Reason;

    [Fact]
    public void Spawn_MissingCommandOnPath_FailsWithCantFindCommand() =>
        Assert.Equal("can't find command 'tm_no_such_command'", FailureOf(Request(["tm_no_such_command"])));

    [Fact]
    public void Spawn_MissingAbsoluteCommand_FailsWithCantFindCommand() =>
        Assert.Equal("can't find command '/nonexistent/tm_cmd'", FailureOf(Request(["/nonexistent/tm_cmd"])));

    [Fact]
    public void Spawn_NonExecutableFile_FailsWithNotExecutable()
    {
        var file = Path.Combine(_dir, "plain.txt");
        File.WriteAllText(file, "#!/bin/sh\n");
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal($"command at '{file}' is not executable", FailureOf(Request([file])));
    }

    [Fact]
    public void Spawn_DirectoryAsCommand_FailsWithIsADirectory() =>
        Assert.Equal($"command at '{_dir}' is a directory", FailureOf(Request([_dir])));

    [Fact]
    public void Spawn_DirectoryFoundOnPath_FailsWithIsADirectory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tm_tool"));
        Assert.Equal($"command at '{_dir}/tm_tool' is a directory",
            FailureOf(Request(["tm_tool"], env: [new("PATH", _dir)])));
    }

    [Fact]
    public void Spawn_MissingWorkingDirectory_FailsWithBadDirectory() =>
        Assert.Equal("bad directory '/nonexistent/tm_dir'",
            FailureOf(Request([Fixture("exit_with.sh")], cwd: "/nonexistent/tm_dir")));

    [Fact]
    public void Spawn_FileAsWorkingDirectory_FailsWithBadDirectory()
    {
        var file = Path.Combine(_dir, "not_a_dir");
        File.WriteAllText(file, "");
        Assert.Equal($"bad directory '{file}'", FailureOf(Request([Fixture("exit_with.sh")], cwd: file)));
    }

    [Fact]
    public void Spawn_EmptyArgv_FailsWithCommandIsEmpty() =>
        Assert.Equal("command is empty", FailureOf(Request([])));

    [Fact]
    public void Spawn_UnknownUser_FailsWithUnknownUser() =>
        Assert.Equal("unknown user 'tm_no_such_user'", FailureOf(Request([Fixture("exit_with.sh")], user: "tm_no_such_user")));

    [Fact]
    public void Spawn_OtherUserWhenNotRoot_FailsWithNotRunningAsRoot()
    {
        using var spawner = new PosixSpawner(new PosixSpawnerOptions { EffectiveUidOverride = 4242 });
        var failed = Assert.IsType<SpawnResult.Failed>(spawner.Spawn(Request([Fixture("exit_with.sh")], user: "nobody")));
        Assert.Equal("cannot switch to user 'nobody': taskmasterd is not running as root", failed.Reason);
    }

    [Theory]
    [InlineData("plain", "'plain'")]
    [InlineData("it's", "\"it's\"")]
    [InlineData("both'\"", "'both\\'\"'")]
    [InlineData(@"back\slash", @"'back\\slash'")]
    public void PythonRepr_QuotesLikePython(string text, string expected) =>
        Assert.Equal(expected, CommandResolver.PythonRepr(text));
}
