using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>
/// What supervisord refuses to start with that only the machine can tell is an error at the key when the daemon loads
/// the file (start, reread, --check): issue 26's "problems found late or not at all". Against a fake machine here; the
/// same files against supervisord 4.2.5 in SupervisordConformanceTests.
/// </summary>
public sealed class HostChecksTests
{
    private sealed class FakeHost : IHostFacts
    {
        public HashSet<string> Directories { get; } = ["/", "/dev", "/etc/tm", "/var/log", "/tmp"];
        public HashSet<string> Users { get; } = ["root", "nobody"];
        public ulong? OpenFilesCeiling { get; init; } = 4096;
        public bool DirectoryExists(string path) => Directories.Contains(path);
        public bool UserExists(string name) => Users.Contains(name);
        /// <summary>A daemon that is not root, with hard limits of 4096 open files and 1 GB of core.</summary>
        public ulong? ResourceCeiling(int resource) => resource switch { 7 => 4096, 4 => 1UL << 30, _ => null };
    }

    private static ConfigDiagnostic FailsOnce(string text) =>
        Assert.Single(Assert.Throws<ConfigException>(() => ConfigLoader.LoadText(text, Cfg.File, Cfg.Env, "node1", new FakeHost())).Errors);

    private static SupervisorConfig Loads(string text) => ConfigLoader.LoadText(text, Cfg.File, Cfg.Env, "node1", new FakeHost());

    [Fact]
    public void DaemonLogfile_InAMissingDirectory_IsAnErrorAtTheKey()
    {
        var e = FailsOnce("[supervisord]\nlogfile=/nonexist/dir/sd.log\n");
        Assert.Equal("/etc/tm/test.conf:2:9: [supervisord] logfile: the directory /nonexist/dir does not exist (for /nonexist/dir/sd.log)", e.Headline);
    }

    [Theory]
    [InlineData("stdout_logfile")]
    [InlineData("stderr_logfile")]
    [InlineData("stdout")]
    public void ProgramLogfile_InAMissingDirectory_IsAnErrorAtTheKey(string key)
    {
        var e = FailsOnce($"[program:a]\ncommand=/bin/true\n{key}=/nonexist/x.log\n");
        Assert.Equal(3, e.Location.Line);
        Assert.Equal(key, e.Key);
        Assert.Contains("the directory /nonexist does not exist", e.Message);
    }

    [Fact]
    public void ChildLogDir_Missing_IsAnError() =>
        Assert.Contains("/nonexist/cl is not an existing directory", FailsOnce("[supervisord]\nchildlogdir=/nonexist/cl\n").Message);

    [Theory]
    [InlineData("[program:a]\ncommand=/bin/true\nuser=nosuchuser\n")]
    [InlineData("[supervisord]\nuser=nosuchuser\n")]
    public void UnknownUser_IsAnError(string text)
    {
        var e = FailsOnce(text);
        Assert.Equal("user", e.Key);
        Assert.Equal("no user named 'nosuchuser'", e.Message);
    }

    [Theory]
    [InlineData("19011")]
    [InlineData("*:19011")]
    [InlineData("0.0.0.0:19011")]
    [InlineData("192.0.2.1:19011")]
    public void InetServer_OffLoopbackWithoutCredentials_IsAnError(string port) =>
        Assert.Contains("listens beyond this machine without credentials", FailsOnce($"[inet_http_server]\nport={port}\n").Message);

    [Theory]
    [InlineData("[inet_http_server]\nport=127.0.0.1:19011\n")]
    [InlineData("[inet_http_server]\nport=localhost:19011\n")]
    [InlineData("[inet_http_server]\nport=0.0.0.0:19011\nusername=u\npassword=p\n")]
    public void InetServer_OnLoopbackOrWithCredentials_Loads(string text) => Assert.NotNull(Loads(text).InetHttpServer);

    [Fact]
    public void MinFds_AboveTheCeiling_IsAnError()
    {
        var e = FailsOnce("[supervisord]\nminfds=100000\n");
        Assert.Equal("minfds", e.Key);
        Assert.Contains("minfds=100000 is more than this environment allows (4096 open files)", e.Message);
    }

    [Fact]
    public void EveryProblem_ReportedAtOnce_AndNoneWithoutAHost()
    {
        const string text = "[supervisord]\nlogfile=/nonexist/sd.log\nminfds=100000\n[program:a]\ncommand=/bin/true\nuser=nosuchuser\nstdout_logfile=/nonexist/o.log\n";
        Assert.Equal(4, Assert.Throws<ConfigException>(() => ConfigLoader.LoadText(text, Cfg.File, Cfg.Env, "node1", new FakeHost())).Errors.Length);
        Assert.Empty(Cfg.Load(text).Warnings);
    }

    [Fact]
    public void AutoLogs_AndDevices_AreNotCheckedAsPaths() =>
        Assert.Single(Loads("[supervisord]\nlogfile=/dev/stdout\n[program:a]\ncommand=/bin/true\nstdout_logfile=AUTO\nstderr_logfile=NONE\n").AllProcesses);

    [Theory]
    [InlineData("rlimit_nofile=1024:8192", "rlimit_nofile", "the hard limit 8192 is above what taskmasterd may give (4096")]
    [InlineData("rlimit_nofile=infinity", "rlimit_nofile", "the hard limit infinity is above")]
    [InlineData("limitcore=2GB", "rlimit_core", "the hard limit 2147483648 is above what taskmasterd may give (1073741824")]
    public void ResourceLimit_AboveTheDaemonsOwnHardLimit_IsAnErrorAtTheKey(string line, string key, string message)
    {
        var e = FailsOnce($"[program:a]\ncommand=/bin/true\n{line}\n");
        Assert.Equal(3, e.Location.Line);
        Assert.Equal(line[..line.IndexOf('=')], e.Key);
        Assert.Contains(message, e.Message);
        Assert.StartsWith("rlimit_", key);
    }

    [Fact]
    public void ResourceLimit_WithinTheDaemonsHardLimit_OrWithoutACeiling_Loads()
    {
        var p = Assert.Single(Loads("[program:a]\ncommand=/bin/true\nrlimit_nofile=1024:4096\nrlimit_core=0\nrlimit_nproc=infinity\n").AllProcesses);
        Assert.Equal(3, p.ResourceLimits.Count);
    }
}
