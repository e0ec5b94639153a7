using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class ValueFormTests
{
    private static ProcessConfig With(string line) => Cfg.One($"[program:p]\ncommand = /bin/true\n{line}\n");

    [Theory]
    [InlineData("true", true)] [InlineData("yes", true)] [InlineData("on", true)] [InlineData("1", true)] [InlineData("TRUE", true)]
    [InlineData("false", false)] [InlineData("no", false)] [InlineData("off", false)] [InlineData("0", false)]
    public void Booleans_AcceptEveryForm(string text, bool expected) =>
        Assert.Equal(expected, With($"autostart = {text}").Autostart);

    [Fact]
    public void Boolean_Invalid_IsErrorAtValue()
    {
        var e = Cfg.FailsOnce("[program:p]\ncommand = x\nautostart = maybe\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, 13), e.Location);
        Assert.Equal("program:p", e.Section);
        Assert.Equal("autostart", e.Key);
        Assert.Contains("not a boolean", e.Message);
    }

    [Theory]
    [InlineData("1024", 1024L)] [InlineData("50KB", 50L * 1024)] [InlineData("50MB", 50L * 1024 * 1024)]
    [InlineData("1GB", 1024L * 1024 * 1024)] [InlineData("2kb", 2048L)] [InlineData("0", 0L)]
    public void Sizes_AcceptBytesAndSuffixes(string text, long expected) =>
        Assert.Equal(expected, With($"stdout_logfile_maxbytes = {text}").Stdout.MaxBytes);

    [Theory]
    [InlineData("10XB")] [InlineData("MB")] [InlineData("-1")] [InlineData("1.5MB")]
    public void Sizes_Invalid_AreErrors(string text) =>
        Assert.Contains("not a size", Cfg.FailsOnce($"[program:p]\ncommand=x\nstdout_logfile_maxbytes={text}\n").Message);

    [Theory]
    [InlineData("TERM", 15)] [InlineData("SIGKILL", 9)] [InlineData("int", 2)] [InlineData("12", 12)] [InlineData("HUP", 1)]
    public void StopSignal_AcceptsNamesAndNumbers(string text, int expected) =>
        Assert.Equal(expected, With($"stopsignal = {text}").StopSignal);

    [Fact]
    public void StopSignal_Invalid_IsError() =>
        Assert.Contains("not a signal", Cfg.FailsOnce("[program:p]\ncommand=x\nstopsignal=FOO\n").Message);

    [Theory]
    [InlineData("022", 0x12)] [InlineData("0", 0)] [InlineData("777", 0x1FF)] [InlineData("0o027", 0x17)] [InlineData("002", 2)]
    public void Umask_IsOctal(string text, int expected) => Assert.Equal(expected, With($"umask = {text}").Umask);

    [Theory]
    [InlineData("8")] [InlineData("abc")] [InlineData("1000")]
    public void Umask_Invalid_IsError(string text) =>
        Assert.Throws<ConfigException>(() => With($"umask = {text}"));

    [Theory]
    [InlineData("0", new[] { 0 })] [InlineData("0,1", new[] { 0, 1 })] [InlineData(" 0 , 2 ,255", new[] { 0, 2, 255 })]
    public void ExitCodes_AreCommaLists(string text, int[] expected) =>
        Assert.Equal(expected, With($"exitcodes = {text}").ExitCodes);

    [Fact]
    public void ExitCodes_BadItem_CaretPointsAtTheItem()
    {
        var e = Cfg.FailsOnce("[program:p]\ncommand=x\nexitcodes = 0,1,256\n");
        Assert.Equal(new SourceLocation(Cfg.File, 3, 17), e.Location);
        Assert.Contains("'256' is not an exit code", e.Message);
        Assert.EndsWith("exitcodes = 0,1,256\n                    ^", e.ToString());
    }

    [Theory]
    [InlineData("true", AutoRestartPolicy.Always)] [InlineData("false", AutoRestartPolicy.Never)]
    [InlineData("unexpected", AutoRestartPolicy.Unexpected)] [InlineData("UNEXPECTED", AutoRestartPolicy.Unexpected)]
    public void AutoRestart_ThreePolicies(string text, AutoRestartPolicy expected) =>
        Assert.Equal(expected, With($"autorestart = {text}").AutoRestart);

    [Fact]
    public void AutoRestart_Invalid_IsError() =>
        Assert.Contains("autorestart policy", Cfg.FailsOnce("[program:p]\ncommand=x\nautorestart=sometimes\n").Message);

    [Theory]
    [InlineData("A=1", "A", "1")]
    [InlineData("A=\"v, 2\"", "A", "v, 2")]
    [InlineData("A='x=y, z'", "A", "x=y, z")]
    [InlineData("PATH=/usr/bin:/bin", "PATH", "/usr/bin:/bin")]
    [InlineData("A = 1 ", "A", "1")]
    [InlineData("OPTS=a=b", "OPTS", "a=b")]
    [InlineData("E=", "E", "")]
    public void Environment_SinglePair(string text, string key, string value) =>
        Assert.Equal([new KeyValuePair<string, string>(key, value)], With($"environment = {text}").Environment.ToArray());

    [Fact]
    public void Environment_SeveralPairs_KeepFileOrder_LaterDuplicateWins()
    {
        var env = With("environment = B=1,A=\"v, 2\",\n    C=3, B=4,").Environment;
        Assert.Equal(["B=4", "A=v, 2", "C=3"], env.Select(kv => $"{kv.Key}={kv.Value}"));
    }

    [Theory]
    [InlineData("A=1 B=2", "expected ','")]
    [InlineData("A", "expected '='")]
    [InlineData("A=\"open", "unterminated")]
    [InlineData("=1", "expected NAME=value")]
    public void Environment_Malformed_IsError(string text, string message) =>
        Assert.Contains(message, Cfg.FailsOnce($"[program:p]\ncommand=x\nenvironment={text}\n").Message);

    [Theory]
    [InlineData("priority = -5", "Priority", -5)]
    [InlineData("startretries = 0", "StartRetries", 0)]
    [InlineData("startsecs = 0", "StartSecs", 0)]
    [InlineData("stopwaitsecs = 30", "StopWaitSecs", 30)]
    [InlineData("stdout_logfile_backups = 0", "Backups", 0)]
    public void Integers_AreParsed(string line, string what, int expected)
    {
        var p = With(line);
        var actual = what switch
        {
            "Priority" => p.Priority, "StartRetries" => p.StartRetries, "StartSecs" => p.StartSecs,
            "StopWaitSecs" => p.StopWaitSecs, _ => p.Stdout.Backups,
        };
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData("startsecs = -1", "out of range")]
    [InlineData("numprocs = 0", "out of range")]
    [InlineData("priority = high", "not a whole number")]
    [InlineData("startretries = 1.5", "not a whole number")]
    public void Integers_Invalid_AreErrors(string line, string message) =>
        Assert.Contains(message, Cfg.FailsOnce($"[program:p]\ncommand=x\n{line}\n").Message);

    /// <summary>Issue 27 item 9: 100000000 backups were accepted, and one <c>clear</c> held the daemon for minutes.</summary>
    [Theory]
    [InlineData("[program:p]\ncommand=x\nstdout_logfile_backups=100000000\n", "[program:p] stdout_logfile_backups")]
    [InlineData("[program:p]\ncommand=x\nstderr_logfile_backups=1001\n", "[program:p] stderr_logfile_backups")]
    [InlineData("[supervisord]\nlogfile_backups=1001\n[program:p]\ncommand=x\n", "[supervisord] logfile_backups")]
    public void LogBackups_AboveOneThousand_AreErrorsAtTheirLine(string text, string where)
    {
        var error = Cfg.FailsOnce(text);
        Assert.Contains($"{where}: ", error.Headline);
        Assert.Contains("out of range (0..1000)", error.Message);
        Assert.Equal(text.StartsWith("[supervisord]", StringComparison.Ordinal) ? 2 : 3, error.Location.Line);
    }

    [Fact]
    public void LogBackups_OneThousand_IsAccepted() =>
        Assert.Equal(1000, Cfg.One("[program:p]\ncommand=x\nstdout_logfile_backups=1000\n").Stdout.Backups);
}
