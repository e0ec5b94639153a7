using System.Text;
using Taskmaster.Posix;

namespace Taskmaster.Tests.Posix;

public sealed class ProcUsageTests
{
    [Fact]
    public void Parse_CountsFieldsAfterTheLastParenthesis()
    {
        // comm "(a) b) c" holds spaces and parentheses; utime 250, stime 150 ticks; rss 300 pages.
        var line = "4242 ((a) b) c) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 150 7 9 20 0 1 0 12345 1000000 300 18446744073709551615 0 0\n";
        var usage = ProcUsage.Parse(Encoding.ASCII.GetBytes(line));
        Assert.NotNull(usage);
        Assert.Equal(4.0, usage.Value.CpuSeconds, 3);
        Assert.Equal(300L * Environment.SystemPageSize, usage.Value.ResidentBytes);
    }

    [Theory]
    [InlineData("")]
    [InlineData("4242 (x) S 1 2")]
    [InlineData("4242 (x) S 1 4242 4242 0 -1 4194560 100 0 0 0 abc 150 7 9 20 0 1 0 12345 1000000 300 0")]
    public void Parse_RefusesTruncatedOrMalformedLines(string line) => Assert.Null(ProcUsage.Parse(Encoding.ASCII.GetBytes(line)));

    [Fact]
    public void Read_OwnProcess_HasMemoryAndTime()
    {
        var usage = ProcUsage.Read(Environment.ProcessId);
        Assert.NotNull(usage);
        Assert.True(usage.Value.ResidentBytes > 1_000_000);
        Assert.True(usage.Value.CpuSeconds > 0);
    }

    [Fact]
    public void Read_NoSuchProcess_IsNull() => Assert.Null(ProcUsage.Read(int.MaxValue));
}
