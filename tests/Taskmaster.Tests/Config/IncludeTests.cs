using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class IncludeTests
{
    [Fact]
    public void Include_GlobsRelativeToIncludingFile_InSortedOrder()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("etc/main.conf", "[include]\nfiles = conf.d/*.conf extra.ini\n");
        dir.Write("etc/conf.d/b.conf", "[program:b]\ncommand=y\n");
        dir.Write("etc/conf.d/a.conf", "[program:a]\ncommand=x\n");
        dir.Write("etc/conf.d/.hidden.conf", "[program:h]\ncommand=x\n");
        dir.Write("etc/conf.d/skip.txt", "[program:s]\ncommand=x\n");
        dir.Write("etc/extra.ini", "[c]\ncmd=z\n");
        var c = ConfigLoader.Load(main, Cfg.Env, "h");
        Assert.Equal(["a", "b", "c"], c.Programs.Select(p => p.Name));
        Assert.Equal(Path.Combine(dir.Path, "etc/conf.d/a.conf"), c.Programs[0].Location.File);
    }

    [Fact]
    public void Include_ErrorsNameTheIncludedFileAndLine()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("main.conf", "[program:m]\ncommand=x\n[include]\nfiles=inc.conf\n");
        var inc = dir.Write("inc.conf", "; included\n[program:i]\ncommand=x\nstartsecs=never\n");
        var e = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(main, Cfg.Env, "h")).Errors);
        Assert.Equal(new SourceLocation(inc, 4, 11), e.Location);
        Assert.StartsWith($"{inc}:4:11: [program:i] startsecs:", e.Headline);
    }

    [Fact]
    public void Include_Cycle_IsError()
    {
        using var dir = new TempConfigDir();
        var a = dir.Write("a.conf", "[program:a]\ncommand=x\n[include]\nfiles=b.conf\n");
        var b = dir.Write("b.conf", "[program:b]\ncommand=x\n[include]\nfiles=a.conf\n");
        var e = Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(a, Cfg.Env, "h")).Errors);
        Assert.Contains($"include cycle: {a} -> {b} -> {a}", e.Message);
        Assert.Equal(b, e.Location.File);
        Assert.Equal(4, e.Location.Line);
    }

    [Fact]
    public void Include_SelfInclusionByGlob_IsCycle()
    {
        using var dir = new TempConfigDir();
        var a = dir.Write("a.conf", "[include]\nfiles=*.conf\n");
        Assert.Contains("include cycle", Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(a, Cfg.Env, "h")).Errors).Message);
    }

    [Fact]
    public void Include_NoMatch_IsWarning()
    {
        using var dir = new TempConfigDir();
        var a = dir.Write("a.conf", "[include]\nfiles=none/*.conf\n");
        Assert.Contains(ConfigLoader.Load(a, Cfg.Env, "h").Warnings, w => w.Message.Contains("matches no file"));
    }

    [Fact]
    public void Include_DuplicateProgramAcrossFiles_IsError()
    {
        using var dir = new TempConfigDir();
        var a = dir.Write("a.conf", "[program:x]\ncommand=x\n[include]\nfiles=b.conf\n");
        dir.Write("b.conf", "[program:x]\ncommand=y\n");
        Assert.Contains("duplicate section", Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.Load(a, Cfg.Env, "h")).Errors).Message);
    }

    [Fact]
    public void Include_MissingFilesKey_IsError() =>
        Assert.Contains("needs a 'files' key", Cfg.FailsOnce("[include]\n").Message);
}
