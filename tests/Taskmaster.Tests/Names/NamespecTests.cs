using Taskmaster.Names;

namespace Taskmaster.Tests.Names;

/// <summary>supervisorctl's namespec, as supervisord 4.2.5 reads it for every command.</summary>
public sealed class NamespecTests
{
    [Theory]
    [InlineData("all", NameScope.All, "", null)]
    [InlineData("web:*", NameScope.Group, "web", null)]
    [InlineData("web:", NameScope.Group, "web", null)]
    [InlineData("web:web_0", NameScope.Process, "web", "web_0")]
    [InlineData("web", NameScope.Process, "web", "web")] // a bare name is name:name, never the whole group
    [InlineData("a:b:c", NameScope.Process, "a", "b:c")] // the first colon splits
    [InlineData(":", NameScope.Group, "", null)]
    [InlineData("  web:web_1 ", NameScope.Process, "web", "web_1")]
    [InlineData("all:*", NameScope.Group, "all", null)]
    public void Parse_ReadsSupervisorctlForms(string text, NameScope scope, string group, string? process)
    {
        var spec = Namespec.Parse(text);
        Assert.Equal((scope, group, process), (spec.Scope, spec.Group, spec.Process));
    }

    [Theory]
    [InlineData("web", "web", "web")]
    [InlineData("web", "web_0", "web:web_0")]
    public void Format_OmitsTheGroupWhenItIsTheProcessName(string group, string process, string expected) =>
        Assert.Equal(expected, Namespec.Format(group, process));

    [Theory]
    [InlineData("all")]
    [InlineData("web:*")]
    [InlineData("web:web_0")]
    [InlineData("one")]
    public void ToString_IsTheCanonicalText_AndParsesBack(string text)
    {
        Assert.Equal(text, Namespec.Parse(text).ToString());
        Assert.Equal(Namespec.Parse(text), Namespec.Parse(Namespec.Parse(text).ToString()));
    }

    [Fact]
    public void BareNameOfANumprocsGroup_SelectsNothing_WhileTheWildcardSelectsEveryInstance()
    {
        (string Group, string Name)[] web = [("web", "web_0"), ("web", "web_1")];
        Assert.DoesNotContain(web, p => Namespec.Parse("web").Selects(p.Group, p.Name));
        Assert.All(web, p => Assert.True(Namespec.Parse("web:*").Selects(p.Group, p.Name)));
        Assert.All(web, p => Assert.True(Namespec.All.Selects(p.Group, p.Name)));
        Assert.Equal([("web", "web_1")], web.Where(p => Namespec.Parse("web:web_1").Selects(p.Group, p.Name)));
    }

    [Fact]
    public void Designates_OnlyOneNamedProcess_NotGroupsOrAll()
    {
        Assert.True(Namespec.Parse("one").Designates("one", "one"));
        Assert.True(Namespec.Parse("one:one").Designates("one", "one"));
        Assert.False(Namespec.Parse("one:*").Designates("one", "one"));
        Assert.False(Namespec.All.Designates("one", "one"));
    }
}
