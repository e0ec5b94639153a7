
using Taskmaster.Posix;

namespace Taskmaster.Tests.Posix;

public class ExitStatusTests
{
    [Theory]
    [InlineData(0x0100, "exit status 1")]
    [InlineData(0x0000, "exit status 0")]
    [InlineData(0x0009, "terminated by SIGKILL")]
    [InlineData(0x008b, "terminated by SIGSEGV (core dumped)")]
    public void FromWaitStatus_RendersLikeSupervisord(int raw, string expected) =>
        Assert.Equal(expected, ExitStatus.FromWaitStatus(raw).ToString());

    [Fact]
    public void FromWaitStatus_DecodesAll256ExitCodes()
    {
        for (var code = 0; code < 256; code++)
            Assert.Equal(ExitStatus.Exited(code), ExitStatus.FromWaitStatus(code << 8));
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("SIGTERM", 15)]
    [InlineData("sigkill", 9)]
    [InlineData("12", 12)]
    [InlineData("usr2", 12)]
    public void Signals_TryParse_AcceptsNamesWithOrWithoutSigAndNumbers(string text, int expected)
    {
        Assert.True(Signals.TryParse(text, out var signal));
        Assert.Equal(expected, signal);
    }

    [Theory]
    [InlineData("BOGUS")]
    [InlineData("0")]
    [InlineData("65")]
    [InlineData("")]
    public void Signals_TryParse_RejectsUnknown(string text) => Assert.False(Signals.TryParse(text, out _));
}
