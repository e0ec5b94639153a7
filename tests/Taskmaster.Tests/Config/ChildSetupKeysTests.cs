using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

/// <summary>
/// Issue 20's env_file, log_timestamps and rlimit_* keys as the loader reads them: values, aliases, defaults, and each
/// bad value as an error at its file:line:col (the env file's own place for a problem inside it).
/// </summary>
public sealed class ChildSetupKeysTests
{
    private static ProcessConfig Program(string keys) => Cfg.One($"[program:p]\ncommand=/bin/true\n{keys}\n");

    // ---- env_file ----

    [Fact]
    public void EnvFile_Dotenv_QuotesCommentsExport_LaterFileWins_EnvironmentWins()
    {
        using var dir = new TempConfigDir();
        dir.Write("a.env", "# comment\n\nexport A=1\nB = ' x # y '\nC=\"l1\\nl2 \\\"q\\\" \\\\ \\$V\" # after\nD=bare # comment\nE=a#b\nM=\"multi\nline\"\n");
        dir.Write("b.env", "A=2\nK=from-b\n");
        var config = dir.Write("t.conf", "[program:p]\ncommand=/bin/true\nenv_file = a.env, -nothere.env, b.env\nenvironment=K=env\n");
        var p = Assert.Single(Cfg.Load(File.ReadAllText(config), config).AllProcesses);
        Assert.Equal(
            ["A=2", "B= x # y ", "C=l1\nl2 \"q\" \\ $V", "D=bare", "E=a#b", "M=multi\nline"],
            p.EnvFiles.Variables.Select(kv => $"{kv.Key}={kv.Value}"));
        Assert.Equal([$"{dir.Path}/a.env", $"-{dir.Path}/nothere.env", $"{dir.Path}/b.env"], p.EnvFiles.Paths.ToArray());
    }

    [Theory]
    [InlineData("A=1\n9X=2\n", 2, 1, "expected a variable name")]
    [InlineData("A=1\nB\n", 2, 2, "expected '=' after B")]
    [InlineData("A='never closed\nB=2\n", 1, 3, "unterminated single-quoted value")]
    [InlineData("A=\"x\" y\n", 1, 7, "unexpected text after the closing quote")]
    public void EnvFile_AProblemInside_IsReportedAtTheEnvFilesLineAndColumn(string content, int line, int column, string message)
    {
        using var dir = new TempConfigDir();
        var env = dir.Write("bad.env", content);
        var config = dir.Write("t.conf", "[program:p]\ncommand=/bin/true\nnumprocs=3\nprocess_name=%(program_name)s_%(process_num)d\nenv_file=bad.env\n");
        var e = Assert.Single(Cfg.Fails(File.ReadAllText(config), config).Errors); // once, not once per instance
        Assert.Equal(new SourceLocation(env, line, column), e.Location);
        Assert.Equal("env_file", e.Key);
        Assert.StartsWith(message, e.Message);
    }

    [Fact]
    public void EnvFile_Missing_IsAnErrorAtItsPlaceInTheValue_UnlessOptional()
    {
        var e = Cfg.FailsOnce("[program:p]\ncommand=/bin/true\nenv_file = -/nonexistent/x.env, /nonexistent/y.env\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, 33), e.Location);
        Assert.Contains("cannot read /nonexistent/y.env: no such file", e.Message);
    }

    // ---- log_timestamps ----

    [Theory]
    [InlineData("log_timestamps = true", "%Y-%m-%dT%H:%M:%S.%L%:z", false)]
    [InlineData("log_timestamps = utc", "%Y-%m-%dT%H:%M:%S.%LZ", true)]
    [InlineData("time = yes", "%Y-%m-%dT%H:%M:%S.%L%:z", false)]
    [InlineData("log_timestamps = !%%F %%T.%%L", "%F %T.%L", true)]
    [InlineData("log_date_format = YYYY-MM-DD HH:mm:ss.SSS Z", "%Y-%m-%d %H:%M:%S.%L %:z", false)]
    [InlineData("log_date_format = [at] DD/MMM/YYYY:HH:mm:ss ZZ", "at %d/%b/%Y:%H:%M:%S %z", false)]
    [InlineData("log_timestamps = false\nstdout_log_timestamps = %%s", "%s", false)]
    public void LogTimestamps_Formats(string keys, string pattern, bool utc)
    {
        var p = Program(keys);
        Assert.Equal(pattern, p.StdoutStamp!.Pattern);
        Assert.Equal(utc, p.StdoutStamp.Utc);
    }

    [Fact]
    public void LogTimestamps_PerStream_OverridesAndOff()
    {
        Assert.Null(Program("").StdoutStamp);
        var p = Program("log_timestamps = true\nstderr_log_timestamps = false");
        Assert.Equal(LogStampFormat.Default, p.StdoutStamp);
        Assert.Null(p.StderrStamp);
        var pm2 = Program("time = true\nlog_date_format = HH:mm");
        Assert.Equal("%H:%M", pm2.StderrStamp!.Pattern);
    }

    [Theory]
    [InlineData("log_timestamps = %%H:%%Q", 18, "unknown field %Q")] // after an expansion: the value's start
    [InlineData("log_timestamps = at %%", 18, "'%' at the end")]
    [InlineData("log_timestamps = at %", 21, "a lone '%' must be written '%%'")] // supervisord's rule for every value
    [InlineData("log_timestamps = no fields here", 18, "'n' is not a field")]
    [InlineData("log_date_format = YYYY [open", 24, "'[' without its ']'")]
    [InlineData("stderr_log_timestamps = !%%%%", 25, "a format needs at least one time field")]
    public void LogTimestamps_BadFormat_IsAnErrorAtItsColumn(string line, int column, string message)
    {
        var e = Cfg.FailsOnce($"[program:p]\ncommand=/bin/true\n{line}\n");
        Assert.Equal(3, e.Location.Line);
        Assert.Equal(column, e.Location.Column);
        Assert.Contains(message, e.Message);
    }

    // ---- rlimit_* ----

    [Theory]
    [InlineData("rlimit_nofile = 1024", 7, 1024UL, 1024UL)]
    [InlineData("rlimit_nofile = 1024:4096", 7, 1024UL, 4096UL)]
    [InlineData("limitnofile = 10:infinity", 7, 10UL, ulong.MaxValue)]
    [InlineData("rlimit_core = unlimited", 4, ulong.MaxValue, ulong.MaxValue)]
    [InlineData("rlimit_as = 64MB:1GB", 9, 64UL << 20, 1UL << 30)]
    [InlineData("rlimit_stack = 8MB", 3, 8UL << 20, 8UL << 20)]
    public void ResourceLimits_SoftHard(string line, int resource, ulong soft, ulong hard)
    {
        var limit = Assert.Single(Program(line).ResourceLimits);
        Assert.Equal((resource, soft, hard), (limit.Resource, limit.Soft, limit.Hard));
    }

    [Fact]
    public void ResourceLimits_ArePrlimitOptions() =>
        Assert.Equal(["--nofile=1024:unlimited", "--core=0:0"],
            Program("rlimit_core = 0\nrlimit_nofile = 1024:infinity").ResourceLimits.Select(l => l.PrlimitOption));

    [Theory]
    [InlineData("rlimit_nofile = 4096:1024", 17, "the soft limit 4096 is above the hard limit 1024")]
    [InlineData("rlimit_nofile = 10MB", 17, "'10MB' is not a limit (a number, or infinity)")]
    [InlineData("rlimit_nproc = 10:", 18, "a limit is missing (soft[:hard], each a number or infinity)")]
    [InlineData("rlimit_core = 1:lots", 17, "'lots' is not a limit (a size such as 64MB, or infinity)")]
    [InlineData("rlimit_cpu = -1", 14, "'-1' is not a limit (a number, or infinity)")]
    public void ResourceLimits_BadValue_IsAnErrorAtItsColumn(string line, int column, string message)
    {
        var e = Cfg.FailsOnce($"[program:p]\ncommand=/bin/true\n{line}\n");
        Assert.Equal((3, column), (e.Location.Line, e.Location.Column));
        Assert.Equal(message, e.Message);
    }
}
