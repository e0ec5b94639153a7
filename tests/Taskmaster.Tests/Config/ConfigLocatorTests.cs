using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class ConfigLocatorTests
{
    [Fact]
    public void Find_Explicit_ReturnsAbsolutePath()
    {
        using var dir = new TempConfigDir();
        var f = dir.Write("my.conf", "");
        Assert.Equal(f, ConfigLocator.Find("my.conf", dir.Path));
    }

    [Fact]
    public void Find_ExplicitMissing_Throws() =>
        Assert.Contains("not found", Assert.Throws<FileNotFoundException>(() => ConfigLocator.Find("/nope/x.conf", "/")).Message);

    [Fact]
    public void Find_PrefersTaskmasterConfOverSupervisordConf()
    {
        using var dir = new TempConfigDir();
        dir.Write("supervisord.conf", "");
        Assert.Equal(Path.Combine(dir.Path, "supervisord.conf"),
            File.Exists("/etc/taskmaster.conf") ? Path.Combine(dir.Path, "supervisord.conf") : ConfigLocator.Find(null, dir.Path));
        var tm = dir.Write("taskmaster.conf", "");
        Assert.Equal(tm, ConfigLocator.Find(null, dir.Path));
    }

    [Fact]
    public void Find_Nothing_ListsEveryPlace()
    {
        using var dir = new TempConfigDir();
        if (ConfigLocator.SearchOrder.Where(Path.IsPathRooted).Any(File.Exists)) return; // this machine has a system config
        var ex = Assert.Throws<FileNotFoundException>(() => ConfigLocator.Find(null, dir.Path));
        Assert.Contains(Path.Combine(dir.Path, "taskmaster.conf"), ex.Message);
        Assert.Contains("/etc/supervisor/supervisord.conf", ex.Message);
    }
}
