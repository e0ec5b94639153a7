using Taskmaster.Spawning;

namespace Taskmaster.Tests.Spawning;

public class CommandResolverTests
{
    [Fact]
    public void PathOf_WithoutPath_UsesDefault() =>
        Assert.Equal(CommandResolver.DefaultPath, CommandResolver.PathOf([new("HOME", "/root")]));

    [Fact]
    public void PathOf_EmptyPath_UsesDefault() =>
        Assert.Equal(CommandResolver.DefaultPath, CommandResolver.PathOf([new("PATH", "")]));

    [Fact]
    public void PathOf_LastPathWins() =>
        Assert.Equal("/b", CommandResolver.PathOf([new("PATH", "/a"), new("PATH", "/b")]));

    [Fact]
    public void TryResolve_FirstPathEntryThatHasTheName_Wins()
    {
        Assert.True(CommandResolver.TryResolve("sh", "/nonexistent:/bin:/usr/bin", "/", out var resolved, out var error));
        Assert.Null(error);
        Assert.Equal("/bin/sh", resolved);
    }

    [Fact]
    public void TryResolve_RelativePathWithSlash_IsTakenFromTheChildsWorkingDirectory()
    {
        Assert.True(CommandResolver.TryResolve("./sh", "", "/bin", out var resolved, out _));
        Assert.Equal("/bin/sh", resolved);
    }
}
