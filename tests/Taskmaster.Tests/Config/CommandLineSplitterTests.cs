using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class CommandLineSplitterTests
{
    private static CommandLine Split(string raw)
    {
        Assert.True(CommandLineSplitter.TrySplit(raw, out var c, out var error, out _), error);
        return c;
    }

    [Theory]
    [InlineData("python3 worker.py", new[] { "python3", "worker.py" })]
    [InlineData("  a   b\tc ", new[] { "a", "b", "c" })]
    [InlineData("echo 'a b' \"c d\"", new[] { "echo", "a b", "c d" })]
    [InlineData("echo 'it''s'", new[] { "echo", "its" })]
    [InlineData("echo a\\ b", new[] { "echo", "a b" })]
    [InlineData("echo \"q\\\"x\\\\\"", new[] { "echo", "q\"x\\" })]
    [InlineData("echo \"a\\nb\"", new[] { "echo", "a\\nb" })]
    [InlineData("echo '$HOME | *'", new[] { "echo", "$HOME | *" })]
    [InlineData("echo \"a | b; c > d\"", new[] { "echo", "a | b; c > d" })]
    [InlineData("echo \\$HOME \\*", new[] { "echo", "$HOME", "*" })]
    [InlineData("echo a~b x=1", new[] { "echo", "a~b", "x=1" })]
    [InlineData("echo ''", new[] { "echo", "" })]
    public void NoShellSyntax_SplitsLikeAShell_AndRunsDirectly(string raw, string[] argv)
    {
        var c = Split(raw);
        Assert.False(c.UsesShell);
        Assert.Equal(argv, c.Argv);
        Assert.Equal(raw, c.Raw);
    }

    [Theory]
    [InlineData("a | b")] [InlineData("a > out")] [InlineData("a < in")] [InlineData("a; b")] [InlineData("a && b")]
    [InlineData("a || b")] [InlineData("a &")] [InlineData("echo $HOME")] [InlineData("echo \"$HOME\"")]
    [InlineData("echo `date`")] [InlineData("echo \"`date`\"")] [InlineData("ls *.log")] [InlineData("ls ?")]
    [InlineData("ls [ab]")] [InlineData("(a)")] [InlineData("cat ~/x")] [InlineData("a\nb")]
    [InlineData("FOO=1 prog")] [InlineData("exec prog")] [InlineData("cd /x")] [InlineData("echo a #comment")]
    public void ShellSyntax_RunsUnderBinSh(string raw)
    {
        var c = Split(raw);
        Assert.True(c.UsesShell);
        Assert.Equal(["/bin/sh", "-c", raw], c.Argv.ToArray());
    }

    [Theory]
    [InlineData("", "empty")] [InlineData("   ", "empty")] [InlineData("echo 'open", "unterminated single")]
    [InlineData("echo \"open", "unterminated double")] [InlineData("echo \\", "trailing backslash")]
    public void Broken_IsAnError(string raw, string message)
    {
        Assert.False(CommandLineSplitter.TrySplit(raw, out _, out var error, out _));
        Assert.Contains(message, error);
    }

    [Fact]
    public void Loader_ReportsUnterminatedQuoteAtTheQuote()
    {
        var e = Cfg.FailsOnce("[p]\ncmd = echo 'x\n");
        Assert.Equal(new SourceLocation(Cfg.File, 2, 12), e.Location);
    }

    [Fact]
    public void Loader_EmptyCommand_IsError() =>
        Assert.Contains("empty", Cfg.FailsOnce("[p]\ncmd =\n").Message);
}
