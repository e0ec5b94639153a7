using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class IniReaderTests
{
    private static List<IniSection> Read(string text, out DiagnosticBag bag)
    {
        bag = new DiagnosticBag();
        return IniReader.Read(text, "f.conf", bag);
    }

    [Fact]
    public void Read_AcceptsEqualsAndColon_LowercasesKeys_KeepsSectionCase()
    {
        var s = Assert.Single(Read("[Prog]\nCommand = a\nOther: b c\n", out var bag));
        Assert.False(bag.HasErrors);
        Assert.Equal("Prog", s.Name);
        Assert.Equal(["command", "other"], s.Entries.Select(e => e.Key));
        Assert.Equal("b c", s.Entries[1].Value);
    }

    [Fact]
    public void Read_InlineCommentNeedsWhitespaceBefore()
    {
        var s = Assert.Single(Read("[p]\na = x;y ; gone\nb = u#v # gone too\n; full\n# full\n", out _));
        Assert.Equal("x;y", s.Entries[0].Value);
        Assert.Equal("u#v", s.Entries[1].Value);
    }

    [Fact]
    public void Read_ContinuationLines_AreJoinedWithNewlines_AndTrackPositions()
    {
        var s = Assert.Single(Read("[p]\nenv = A=1,\n  B=2,\n\n  C=3\n\nnext = z\n", out var bag));
        Assert.False(bag.HasErrors);
        var env = s.Entries[0];
        Assert.Equal("A=1,\nB=2,\n\nC=3", env.Value);
        Assert.Equal(new SourceLocation("f.conf", 3, 3), env.LocationAt(env.Value.IndexOf('B')));
        Assert.Equal(new SourceLocation("f.conf", 5, 3), env.LocationAt(env.Value.IndexOf('C')));
        Assert.Equal("z", s.Entries[1].Value);
    }

    [Fact]
    public void Read_ValueColumn_PointsAtValueStart()
    {
        var e = Assert.Single(Assert.Single(Read("[p]\n  key   =   value\n", out _)).Entries);
        Assert.Equal(new SourceLocation("f.conf", 2, 3), e.KeyLocation);
        Assert.Equal(new SourceLocation("f.conf", 2, 13), e.ValueLocation);
    }

    [Fact]
    public void Read_DuplicateKey_LastWins_WarningAtSecondKeyNamingTheFirst()
    {
        var section = Assert.Single(Read("[p]\na=1\nA=2\n", out var bag));
        Assert.Equal("2", Assert.Single(section.Entries).Value);
        Assert.Empty(bag.Errors);
        var w = Assert.Single(bag.Warnings);
        Assert.Equal(3, w.Location.Line);
        Assert.Contains("duplicate key: this setting replaces the one at f.conf:2:1", w.Message);
    }

    [Theory]
    [InlineData("key = v\n", "expected a [section] header before any key")]
    [InlineData("[p]\njust words\n", "expected 'key = value'")]
    [InlineData("[p\n", "missing its closing ']'")]
    [InlineData("[]\n", "empty section name")]
    [InlineData("[p]\n = v\n", "missing key name")]
    public void Read_BrokenLines_AreErrors(string text, string message)
    {
        Read(text, out var bag);
        Assert.Contains(bag.Errors, e => e.Message.Contains(message) && e.Location.Line >= 1 && e.Location.Column >= 1);
    }

    [Fact]
    public void Read_Bom_AndCrLf_AreIgnored()
    {
        var s = Assert.Single(Read("\uFEFF[p]\r\na = 1\r\n", out var bag));
        Assert.False(bag.HasErrors);
        Assert.Equal("1", s.Entries[0].Value);
    }
}
