namespace Taskmaster.Tests.EndToEnd;

/// <summary>taskmasterd's flags, config search, nodaemon=, and the activity log's startup warnings.</summary>
public class DaemonCommandLineTests
{
    private const string Sleeper = """
        [program:sleeper]
        command = {fixtures}/sleep_forever.sh
        startsecs = 0
        """;

    [Fact]
    public async Task Flags_LogfileLoglevelPidfile_OverrideTheFile()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var logfile = Path.Combine(daemon.Dir, "flag.log");
        var pidfile = Path.Combine(daemon.Dir, "flag.pid");
        await daemon.StartAsync("-l", logfile, "-e", "error", "-j", pidfile);
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));

        Assert.Equal(daemon.Pid.ToString(), File.ReadAllText(pidfile).Trim());
        Assert.False(File.Exists(daemon.PidfilePath), "the file's pidfile was written despite -j");
        Assert.False(File.Exists(daemon.LogfilePath), "the file's logfile was written despite -l");
        Assert.True(File.Exists(logfile));
        // -e error: the INFO lines (spawned:, success:) are not logged, here or on the echo.
        Assert.DoesNotContain("spawned:", File.ReadAllText(logfile));
        Assert.DoesNotContain("spawned:", daemon.Output);

        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        Assert.False(File.Exists(pidfile));
    }

    [Fact]
    public async Task Check_WithFlags_PrintsTheFileWithTheFlagsApplied()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", daemon.ConfigPath, "-l", "flag.log",
            "-j", "flag.pid", "-e", "debug", "-d", daemon.Dir, "-u", Environment.UserName], workingDirectory: daemon.Dir);
        Assert.True(run.ExitCode == 0, run.ToString());
        var dir = daemon.Dir;
        Assert.Equal($"""
            configuration: {daemon.ConfigPath}
            [taskmasterd]
              logfile                   = {dir}/flag.log
              logfile_maxbytes          = 52428800
              logfile_backups           = 10
              loglevel                  = debug
              pidfile                   = {dir}/flag.pid
              nodaemon                  = false
              umask                     = 022
              childlogdir               = {dir}
              user                      = {Environment.UserName}
              directory                 = {dir}
            [unix_http_server]
              file                      = {daemon.SocketPath}
              chmod                     = 0700

            group sleeper (priority 999, 1 process)
              process sleeper (program sleeper, process_num 0)
                command                 = {DaemonUnderTest.Fixtures}/sleep_forever.sh  ({daemon.ConfigPath}:13)
                argv                    = [{DaemonUnderTest.Fixtures}/sleep_forever.sh]  (executed directly)
                process_name            = sleeper  (default)
                directory               = (inherit)  (default)
                umask                   = (inherit)  (default)
                user                    = (none)  (default)
                environment             = (none)  (default)
                priority                = 999  (default)
                autostart               = true  (default)
                depends_on              = (none)  (default)
                dependent_startup       = false  (default)
                autorestart             = unexpected  (default)
                exitcodes               = 0  (default)
                startsecs               = 0  ({daemon.ConfigPath}:14)
                startretries            = 3  (default)
                restart_delay           = 0ms  (default)
                exp_backoff_restart_delay = 0ms  (default)
                max_restarts            = (unlimited)  (default)
                min_uptime              = 1000ms  (default)
                exit_on                 = never  (default)
                stopsignal              = SIGTERM  (default)
                stopwaitsecs            = 10  (default)
                stopasgroup             = true  (default)
                killasgroup             = true  (default)
                readiness_check_script  = (none)  (default)
                liveness_check_script   = (none)  (default)
                env_file                = (none)  (default)
                log_timestamps          = false  (default)
                pre_start_hook          = (none)  (default)
                pre_stop_hook           = (none)  (default)
                post_stop_hook          = (none)  (default)
                hook_timeout            = 30s  (default)
                cron_restart            = (none)  (default)
                cron                    = (none)  (default)
                schedule_timezone       = (the daemon's local time)  (default)
                max_memory_restart      = (none)  (default)
                restart_when_binary_changed = false  (default)
                restart_signal_when_binary_changed = (none)  (default)
                restart_directory_monitor = (none)  (default)
                restart_file_pattern    = *  (default)
                ignore_watch            = (none)  (default)
                watch_delay             = 500ms  (default)
                restart_signal_when_file_changed = (none)  (default)
                redirect_stderr         = false  (default)
                stdout_logfile          = {dir}/sleeper-stdout---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
                stderr_logfile          = {dir}/sleeper-stderr---taskmaster-*.log (AUTO), maxbytes 52428800, backups 10  (default)
                stdout_capture_maxbytes = 0  (default)
                stdout_events_enabled   = false  (default)
                stderr_capture_maxbytes = 0  (default)
                stderr_events_enabled   = false  (default)
                serverurl               = (AUTO)  (default)

            warnings: none

            """, run.Stdout.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task Loglevel_Debug_LogsMoreThanInfo()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        await daemon.StartAsync("-e", "debug");
        await daemon.WaitForOutputAsync("success: sleeper");
        Assert.Contains(" DEBG ", File.ReadAllText(daemon.LogfilePath));
    }

    [Theory]
    [InlineData("loud")]
    [InlineData("")]
    public async Task Loglevel_Invalid_IsAClearErrorWithExitTwo(string level)
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", daemon.ConfigPath, "-e", level]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains($"'{level}' is not a log level", run.Stderr);
        Assert.False(File.Exists(daemon.PidfilePath));
    }

    /// <summary>Issue 26: <c>-l</c> into a directory that does not exist is refused before anything runs, as the file's
    /// <c>logfile</c> is, and as supervisord refuses it.</summary>
    [Theory]
    [InlineData("-n")]
    [InlineData("--check")]
    public async Task Logfile_InADirectoryThatDoesNotExist_IsAClearErrorWithExitTwo(string mode)
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var run = await DaemonUnderTest.RunDaemonCommandAsync([mode, "-c", daemon.ConfigPath, "-l", "/nonexistent-26/daemon.log"]);
        Assert.True(run.ExitCode == 2, run.ToString());
        Assert.Contains("-l/--logfile: the directory /nonexistent-26 does not exist (for /nonexistent-26/daemon.log)", run.Stderr);
        Assert.False(File.Exists(daemon.PidfilePath));
    }

    [Fact]
    public async Task Version_PrintsTheVersionAndExitsZero()
    {
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["--version"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Matches(@"^\d+\.\d+\.\d+", run.Stdout.Trim());
    }

    [Fact]
    public async Task Help_ListsEveryFlagAndTheExitCodes()
    {
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["--help"]);
        Assert.True(run.ExitCode == 0, run.ToString());
        foreach (var flag in new[] { "-c", "--configuration", "-n", "--nodaemon", "--check", "-l", "--logfile", "-e",
                     "--loglevel", "-j", "--pidfile", "-d", "--directory", "-u", "--user", "--version" })
            Assert.Matches($@"(^|[\s,]){System.Text.RegularExpressions.Regex.Escape(flag)}([\s,]|$)", run.Stdout);
        Assert.Contains("Exit codes", run.Stdout);
        foreach (var code in new[] { "0 ", "1 ", "2 " })
            Assert.Contains(code, run.Stdout);
    }

    [Fact]
    public async Task Check_ListsErrorsInLineOrder_Line3BeforeLine10()
    {
        using var dir = new Config.TempConfigDir();
        // The binder finds line 3's bad value after the reader found line 10's broken line.
        var path = dir.Write("broken.conf", "[program:p]\ncommand=x\nstartsecs=soon\n\n\n[program:q]\ncommand=y\n\n\nbroken line\n");
        var run = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", path]);
        Assert.True(run.ExitCode == 2, run.ToString());
        var headlines = run.Stderr.Split('\n').Where(l => l.StartsWith(path + ":", StringComparison.Ordinal));
        Assert.Equal([$"{path}:3:11", $"{path}:10:1"], headlines.Select(l => l[..l.IndexOf(": ", StringComparison.Ordinal)]));
    }

    [Fact]
    public async Task ActivityLog_HasTheConfigWarningsAtStartup()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:sleeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            autorestrat = true
            """);
        await daemon.StartAsync();
        await daemon.WaitForOutputAsync("taskmasterd started");
        var log = File.ReadAllText(daemon.LogfilePath);
        var warning = log.Split('\n').Single(l => l.Contains("autorestrat"));
        Assert.Contains("WARN", warning);
        Assert.Contains("autorestart", warning); // the did-you-mean
        Assert.True(log.IndexOf("autorestrat", StringComparison.Ordinal) < log.IndexOf("taskmasterd started", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WithoutC_FindsTaskmasterConfInTheWorkingDirectory()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        // A supervisord.conf in the same directory must lose to taskmaster.conf (it would fail to load).
        File.WriteAllText(Path.Combine(daemon.Dir, "supervisord.conf"), "[program:broken]\n");
        await daemon.StartWithAsync("dotnet", [DaemonUnderTest.DaemonDll, "-n"], workingDirectory: daemon.Dir);
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));
        await daemon.WaitForOutputAsync($"config {daemon.ConfigPath}");
    }

    [RequiresFact(Requirement.NoTaskmasterConfInEtc)] // /etc/taskmaster.conf comes before ./supervisord.conf
    public async Task WithoutC_FallsBackToSupervisordConfInTheWorkingDirectory()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper);
        var supervisordConf = Path.Combine(daemon.Dir, "supervisord.conf");
        File.Move(daemon.ConfigPath, supervisordConf);
        await daemon.StartWithAsync("dotnet", [DaemonUnderTest.DaemonDll, "-n"], workingDirectory: daemon.Dir);
        await daemon.WaitForOutputAsync($"config {supervisordConf}");
    }

    [Fact]
    public async Task NodaemonTrueInTheFile_StaysInTheForegroundLikeDashN()
    {
        await using var daemon = DaemonUnderTest.Create(Sleeper, "nodaemon = true");
        await daemon.StartWithAsync("dotnet", [DaemonUnderTest.DaemonDll, "-c", daemon.ConfigPath]);
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("sleeper ") && l.Contains("RUNNING")));
        Assert.False(daemon.Process.HasExited);
        Assert.Equal(daemon.Pid.ToString(), File.ReadAllText(daemon.PidfilePath).Trim());
        await daemon.WaitForOutputAsync("spawned: 'sleeper'"); // the activity log is echoed, as with -n
        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
    }

    [Fact]
    public async Task ParentIgnoringSigchld_DaemonStillSeesExitStatuses()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:three]
            command = {fixtures}/exit_with.sh 3
            startsecs = 0
            autorestart = false
            """);
        await daemon.StartWithAsync("sh", ["-c", $"trap '' CHLD; exec dotnet '{DaemonUnderTest.DaemonDll}' -n -c '{daemon.ConfigPath}'"]);
        await daemon.WaitForOutputAsync("exited: three (exit status 3; not expected)");
        await daemon.WaitForStatusAsync(lines => lines.Any(l => l.StartsWith("three ") && l.Contains("EXITED")));
        var json = await daemon.CtlAsync("--json", "status", "three");
        Assert.Contains("\"exitStatus\":3", json.Stdout.Replace(" ", ""));
    }
}
