using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary><see cref="ConfigLoader.LoadControlSections"/>: what taskmasterctl binds before sending a command.</summary>
public class ControlSectionsTests
{
    [Fact]
    public void ControlSections_FollowIncludes_AndLeaveProgramsUnbound()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("etc/main.conf", "[include]\nfiles = conf.d/*.conf\n\n[program:web]\ncommand = /bin/true\n");
        dir.Write("etc/conf.d/ctl.conf", "[unix_http_server]\nfile = %(here)s/tm.sock\n\n[supervisorctl]\nusername = ops\npassword = pw\n");

        var c = ConfigLoader.LoadControlSections(main, Cfg.Env, "h");

        Assert.Equal(Path.Combine(dir.Path, "etc/conf.d/tm.sock"), c.UnixHttpServer!.File);
        Assert.Equal("ops", c.Ctl.Username);
        Assert.Empty(c.Programs);
    }

    [Fact]
    public void ControlSections_Load_WhileAProgramSectionIsBroken()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("main.conf",
            "[unix_http_server]\nfile = /run/tm.sock\n\n[program:web]\ncommand = /bin/true\nstartsecs = soon\nthis line has no equals sign\n");

        Assert.Throws<ConfigException>(() => ConfigLoader.Load(main, Cfg.Env, "h"));
        Assert.Equal("/run/tm.sock", ConfigLoader.LoadControlSections(main, Cfg.Env, "h").UnixHttpServer!.File);
    }

    [Fact]
    public void ControlSections_Broken_IsAnErrorAtTheirLine()
    {
        using var dir = new TempConfigDir();
        var main = dir.Write("main.conf", "[program:web]\ncommand = /bin/true\n\n[unix_http_server]\nchmod = rwx\n");

        var e = Assert.Throws<ConfigException>(() => ConfigLoader.LoadControlSections(main, Cfg.Env, "h"));
        Assert.Contains($"{main}:5:", e.Message);
        Assert.Contains("chmod", e.Message);
    }
}
