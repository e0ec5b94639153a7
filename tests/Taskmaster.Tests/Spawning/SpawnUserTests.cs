using Taskmaster.Posix;
using Taskmaster.Spawning;
using static Taskmaster.Tests.Spawning.SpawnTestKit;

namespace Taskmaster.Tests.Spawning;

/// <summary><c>user=</c>: as root, the child runs with the user's uid, gid, groups and login environment.</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class SpawnUserTests
{
    [RequiresFact(Requirement.Root)] // the not-root path is covered in SpawnFailureTests
    public async Task Spawn_AsRoot_WithUser_RunsChildAsThatUser()
    {
        var nobody = UserAccount.Find("nobody");
        Assert.NotNull(nobody); // every Debian has one: its absence is a broken machine, not a reason to skip

        ChildExits.EnsureWatching();
        var dir = TempDir();
        try
        {
            File.SetUnixFileMode(dir, (UnixFileMode)0b111_111_111);
            using var spawner = new PosixSpawner();
            var child = Started(spawner.Spawn(Request([Fixture("report_child_env.sh")], cwd: dir, user: "nobody",
                env: Env(("HOME", "/root"), ("USER", "root")))));
            var stderr = ReadToEnd(child.StderrPipe);
            var lines = (await ReadToEnd(child.StdoutPipe)).Split('\n');
            Assert.Equal(ExitStatus.Exited(0), await ChildExits.Of(child.Pid));

            Assert.Contains($"uid={nobody.Uid} gid={nobody.Gid} groups={nobody.Gid}", lines);
            Assert.Contains($"home={nobody.Home} user=nobody logname=nobody", lines);
            Assert.Equal("to-stderr\n", await stderr);
            var created = Path.Combine(dir, "created.txt");
            Assert.Equal(nobody.Uid, OwnerOf(created));
        }
        finally { Directory.Delete(dir, recursive: true); }
    }

    private static unsafe uint OwnerOf(string file)
    {
        Files.StatxBuffer st;
        Assert.Equal(0, Files.Statx(Files.AT_FDCWD, file, 0, 0x8 /* STATX_UID */, &st));
        return st.Uid;
    }
}
