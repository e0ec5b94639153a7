using Taskmaster.Posix;

namespace Taskmaster.Tests.Security;

/// <summary>The daemon's own files (pid file, children file) against another local user's tricks (issue 27).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StateFileTests : IDisposable
{
    private const uint Nobody = 65534;
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private readonly string _dir = Directory.CreateTempSubdirectory("statefile-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void Write_ThroughAPlantedSymlink_ReplacesTheLinkAndLeavesItsTargetAlone()
    {
        var victim = Path.Combine(_dir, "victim");
        File.WriteAllText(victim, "precious");
        var path = Path.Combine(_dir, "state");
        File.CreateSymbolicLink(path, victim);

        StateFile.Write(path, "ours\n", Private);

        Assert.Equal("precious", File.ReadAllText(victim));
        Assert.Null(new FileInfo(path).LinkTarget);
        Assert.Equal("ours\n", File.ReadAllText(path));
        Assert.Equal(Private, File.GetUnixFileMode(path));
        Assert.Equal(["state", "victim"], Directory.GetFiles(_dir).Select(Path.GetFileName).Order());
    }

    [Fact]
    public void Write_GivesExactlyTheModeAskedFor_EvenWhenTheFileExistedWider()
    {
        var path = Path.Combine(_dir, "state");
        File.WriteAllText(path, "old");
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);

        StateFile.Write(path, "new", Private);

        Assert.Equal(Private, File.GetUnixFileMode(path));
    }

    [Fact]
    public void Read_RefusesASymlink()
    {
        var target = Path.Combine(_dir, "target");
        StateFile.Write(target, "1 1 0 x\n", Private);
        var link = Path.Combine(_dir, "link");
        File.CreateSymbolicLink(link, target);

        Assert.Null(StateFile.Read(link, out var refusal));
        Assert.Contains("symbolic link", refusal);
    }

    [Fact]
    public void Read_RefusesAFileWritableByOthers()
    {
        var path = Path.Combine(_dir, "state");
        StateFile.Write(path, "x", Private);
        File.SetUnixFileMode(path, (UnixFileMode)0b110_110_110);

        Assert.Null(StateFile.Read(path, out var refusal));
        Assert.Contains("writable by other users", refusal);
    }

    [RequiresFact(Requirement.Root)]
    public void Read_RefusesAFileOwnedByAnotherUser()
    {
        var path = Path.Combine(_dir, "state");
        StateFile.Write(path, "x", Private);
        Chown(path, Nobody);

        Assert.Null(StateFile.Read(path, out var refusal));
        Assert.Contains($"owned by uid {Nobody}", refusal);
    }

    [Fact]
    public void Read_OfAMissingFile_IsNullWithoutRefusal()
    {
        Assert.Null(StateFile.Read(Path.Combine(_dir, "none"), out var refusal));
        Assert.Null(refusal);
    }

    [Fact]
    public void Directory_WritableByOthersWithoutSticky_IsUnsafe_WithStickyIsSafe()
    {
        File.SetUnixFileMode(_dir, (UnixFileMode)0b111_111_111);
        Assert.Contains("writable by other users", StateFile.UnsafeDirectoryReason(_dir));
        Assert.Throws<IOException>(() => StateFile.Write(Path.Combine(_dir, "state"), "x", Private));

        File.SetUnixFileMode(_dir, (UnixFileMode)0b1_111_111_111);
        Assert.Null(StateFile.UnsafeDirectoryReason(_dir));
    }

    [RequiresFact(Requirement.Root)]
    public void Directory_OwnedByAnotherUser_IsUnsafe()
    {
        Chown(_dir, Nobody);
        Assert.Contains($"owned by uid {Nobody}", StateFile.UnsafeDirectoryReason(_dir));
    }

    internal static void Chown(string path, uint uid)
    {
        using var chown = System.Diagnostics.Process.Start("chown", [uid.ToString(System.Globalization.CultureInfo.InvariantCulture), path]);
        chown.WaitForExit();
        Assert.Equal(0, chown.ExitCode);
    }
}
