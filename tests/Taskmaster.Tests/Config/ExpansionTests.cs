using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class ExpansionTests
{
    private static string Expand(string raw)
    {
        var names = new Dictionary<string, ExpansionValue> { ["program_name"] = "web", ["process_num"] = 7L, ["numprocs"] = 12L, ["neg"] = -3L };
        Assert.True(Expander.TryExpand(raw, names, out var result, out var error), error.Message);
        return result;
    }

    [Theory]
    [InlineData("%(program_name)s", "web")]
    [InlineData("%(process_num)d", "7")]
    [InlineData("%(process_num)02d", "07")]
    [InlineData("%(process_num)03i", "007")]
    [InlineData("%(process_num)3d|", "  7|")]
    [InlineData("%(process_num)-3d|", "7  |")]
    [InlineData("%(neg)04d", "-003")]
    [InlineData("%(program_name)5s|", "  web|")]
    [InlineData("%(numprocs)s", "12")]
    [InlineData("100%%", "100%")]
    [InlineData("no percent", "no percent")]
    public void Expander_RendersPythonPercentFormats(string raw, string expected) => Assert.Equal(expected, Expand(raw));

    [Theory]
    [InlineData("50%", "lone '%'")]
    [InlineData("%(program_name)", "needs a conversion")]
    [InlineData("%(program_name", "missing ')'")]
    [InlineData("%(program_name)d", "needs a number")]
    [InlineData("%(progam_name)s", "did you mean %(program_name)s")]
    public void Expander_Errors(string raw, string message)
    {
        var names = new Dictionary<string, ExpansionValue> { ["program_name"] = "web" };
        Assert.False(Expander.TryExpand(raw, names, out _, out var error));
        Assert.Contains(message, error.Message);
    }

    [Fact]
    public void Loader_ExpandsEveryName()
    {
        var c = Cfg.Load("[program:w]\ncommand=/bin/echo %(here)s %(program_name)s %(group_name)s %(host_node_name)s %(process_num)02d %(numprocs)d %(ENV_HOME)s %%\nnumprocs=2\n");
        var argv = c.AllProcesses.Last().Command.Argv;
        Assert.Equal(["/bin/echo", "/etc/tm", "w", "w", "node1", "01", "2", "/home/tm", "%"], argv.ToArray());
    }

    [Fact]
    public void Loader_ProgramEnvironment_FeedsLaterExpansions()
    {
        var p = Cfg.One("[program:w]\ncommand=/bin/serve %(ENV_LISTEN)s\nenvironment=LISTEN=\"0.0.0.0:%(ENV_PORT)s\"\n");
        Assert.Equal(["/bin/serve", "0.0.0.0:8080"], p.Command.Argv.ToArray());
        Assert.Equal("0.0.0.0:8080", p.Environment[0].Value);
    }

    [Fact]
    public void Loader_UnknownName_IsErrorWithLocation()
    {
        var e = Cfg.FailsOnce("[program:w]\ncommand=/bin/echo %(nope)s\n");
        Assert.Equal(new SourceLocation(Cfg.File, 2, 19), e.Location);
        Assert.Contains("unknown expansion %(nope)", e.Message);
    }

    [Fact]
    public void Loader_HereIsTheDirectoryOfTheIncludedFile()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("main.conf", "[include]\nfiles=sub/*.conf\n");
        dir.Write("sub/a.conf", "[program:a]\ncommand=/bin/echo %(here)s\n");
        var p = Assert.Single(ConfigLoader.Load(main, Cfg.Env, "h").AllProcesses);
        Assert.Equal(Path.Combine(dir.Path, "sub"), p.Command.Argv[1]);
    }
}
