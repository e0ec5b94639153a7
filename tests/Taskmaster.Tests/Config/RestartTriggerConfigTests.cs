using Taskmaster.Config;
using Taskmaster.Supervision.Triggers;

namespace Taskmaster.Tests.Config;

/// <summary>max_memory_restart in PM2's and our sizes, the watch keys in the Go port's and PM2's spellings, and bad values.</summary>
public class RestartTriggerConfigTests
{
    [Theory]
    [InlineData("300M", 300L << 20)]
    [InlineData("300MB", 300L << 20)]
    [InlineData("1G", 1L << 30)]
    [InlineData("512K", 512L << 10)]
    [InlineData("4096", 4096L)]
    public void MaxMemoryRestart_ReadsPm2AndOurSizes(string text, long bytes) =>
        Assert.Equal(bytes, Cfg.One($"[program:a]\ncommand = /bin/true\nmax_memory_restart = {text}\n").MaxMemoryRestart);

    [Fact]
    public void Watch_True_WatchesTheProgramDirectory_PathsAreRelativeToTheFile()
    {
        Assert.Equal(["/srv/app"], Cfg.One("[program:a]\ncommand = /bin/true\ndirectory = /srv/app\nwatch = true\n").RestartDirectoryMonitor.ToArray());
        Assert.Equal(["/etc/tm/conf", "/var/www"],
            Cfg.One("[program:a]\ncommand = /bin/true\nrestart_directory_monitor = conf, /var/www\n").RestartDirectoryMonitor.ToArray());
        Assert.Empty(Cfg.One("[program:a]\ncommand = /bin/true\nwatch = false\n").RestartDirectoryMonitor);
    }

    [Fact]
    public void Defaults_WatchNothing_EveryNameCounts_HalfASecondDebounce()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\n");
        Assert.Null(c.MaxMemoryRestart);
        Assert.False(c.RestartWhenBinaryChanged);
        Assert.Empty(c.RestartDirectoryMonitor);
        Assert.Equal(["*"], c.RestartFilePattern.ToArray());
        Assert.Equal(TimeSpan.FromMilliseconds(500), c.WatchDelay);
        Assert.Null(c.RestartSignalWhenFileChanged);
    }

    [Fact]
    public void Signals_AreNamesOrNumbers()
    {
        var c = Cfg.One("[program:a]\ncommand = /bin/true\nrestart_signal_when_file_changed = HUP\nrestart_signal_when_binary_changed = SIGUSR2\n");
        Assert.Equal(1, c.RestartSignalWhenFileChanged);
        Assert.Equal(12, c.RestartSignalWhenBinaryChanged);
    }

    [Theory]
    [InlineData("max_memory_restart = lots", "is not a memory size")]
    [InlineData("max_memory_restart = 0", "is not a memory size")]
    [InlineData("restart_signal_when_file_changed = NOPE", "NOPE")]
    [InlineData("restart_file_pattern = a/*.conf", "no '/'")]
    [InlineData("watch_delay = soon", "soon")]
    [InlineData("restart_when_binary_changed = maybe", "maybe")]
    public void BadValue_IsAnErrorOnItsLine(string line, string message)
    {
        var error = Cfg.FailsOnce($"[program:a]\ncommand = /bin/true\n{line}\n");
        Assert.Equal(3, error.Location.Line);
        Assert.Contains(message, error.Message);
    }

    [Theory]
    [InlineData("*.conf", "site.conf", true)]
    [InlineData("*.conf", "site.conf.swp", false)]
    [InlineData("*", ".hidden", true)]
    [InlineData("app?.log", "app1.log", true)]
    [InlineData("node_modules", "node_modules", true)]
    public void Glob_MatchesOneName(string pattern, string name, bool matches) => Assert.Equal(matches, FileWatch.Glob(pattern, name));

    [Fact]
    public void ChangedTrigger_ReloadsInPlace() => Assert.All(RestartTriggerKeys.All, k => Assert.Equal(OnReload.InPlace, k.Reload));
}
