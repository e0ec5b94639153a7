using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>
/// The search for a configuration without <c>-c</c>. The absolute places are searched under a temporary directory
/// standing for <c>/</c>, so the result does not depend on this machine's /etc (Debian's supervisor package puts a
/// config at /etc/supervisor/supervisord.conf, which every supervisord user has).
/// </summary>
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
    public void Find_TakesTheFirstThatExists_InSearchOrder()
    {
        using var dir = new TempConfigDir();
        var cwd = Path.Combine(dir.Path, "cwd");
        var root = Path.Combine(dir.Path, "root");
        Directory.CreateDirectory(cwd);
        // Each place is created in turn from the last to the first, and must win over every one created before it.
        string[] lastToFirst =
            ["root/etc/supervisor/supervisord.conf", "root/etc/supervisord.conf", "cwd/supervisord.conf", "root/etc/taskmaster.conf", "cwd/taskmaster.conf"];
        foreach (var place in lastToFirst)
        {
            var file = dir.Write(place, "");
            Assert.Equal(file, ConfigLocator.Find(null, cwd, root));
        }
    }

    [Fact]
    public void Find_Nothing_ListsEveryPlace_InSearchOrder()
    {
        using var dir = new TempConfigDir();
        var root = Path.Combine(dir.Path, "root");
        var ex = Assert.Throws<FileNotFoundException>(() => ConfigLocator.Find(null, dir.Path, root));
        string[] places =
        [
            Path.Combine(dir.Path, "taskmaster.conf"), Path.Combine(root, "etc/taskmaster.conf"), Path.Combine(dir.Path, "supervisord.conf"),
            Path.Combine(root, "etc/supervisord.conf"), Path.Combine(root, "etc/supervisor/supervisord.conf"),
        ];
        Assert.Equal($"no configuration file found; looked for {string.Join(", ", places)} (use -c FILE)", ex.Message);
    }

    [Fact]
    public void Find_WithTheRealRoot_SearchesTheCurrentDirectoryFirst()
    {
        using var dir = new TempConfigDir();
        var tm = dir.Write("taskmaster.conf", "");
        Assert.Equal(tm, ConfigLocator.Find(null, dir.Path));
    }
}
