using Taskmaster.Config;

namespace Taskmaster.Tests.Config;

public class ConfigLoaderTests
{
    [Fact]
    public void Defaults_MatchDesign()
    {
        var p = Cfg.One("[program:web]\ncommand = /bin/web\n");
        Assert.Equal("web", p.Name);
        Assert.Equal("web", p.GroupName);
        Assert.Equal(0, p.ProcessNum);
        Assert.True(p.Autostart);
        Assert.Equal(AutoRestartPolicy.Unexpected, p.AutoRestart);
        Assert.Equal([0], p.ExitCodes.ToArray());
        Assert.Equal(3, p.StartRetries);
        Assert.Equal(1, p.StartSecs);
        Assert.Equal(15, p.StopSignal);
        Assert.Equal(10, p.StopWaitSecs);
        Assert.True(p.StopAsGroup);
        Assert.True(p.KillAsGroup);
        Assert.False(p.RedirectStderr);
        Assert.Equal(999, p.Priority);
        Assert.Null(p.Directory);
        Assert.Null(p.Umask);
        Assert.Null(p.User);
        Assert.Empty(p.Environment);
        var tmp = Path.TrimEndingDirectorySeparator(Path.GetTempPath());
        Assert.Matches($"^{tmp}/web-stdout---taskmaster-[0-9a-f]{{12}}\\.log$", p.Stdout.Path);
        Assert.Equal(new LogTarget(p.Stdout.Path, true, 50 * 1024 * 1024, 10), p.Stdout);
        Assert.Matches($"^{tmp}/web-stderr---taskmaster-[0-9a-f]{{12}}\\.log$", p.Stderr.Path);
        Assert.Equal(new LogTarget(p.Stderr.Path, true, 50 * 1024 * 1024, 10), p.Stderr);
        Assert.Equal(["command"], p.Origins.Keys);
    }

    [Fact]
    public void DaemonDefaults_LiveNextToTheConfig()
    {
        var c = Cfg.Load("[program:a]\ncommand=x\n");
        Assert.Equal("/etc/tm/taskmasterd.log", c.Daemon.Logfile);
        Assert.Equal("/etc/tm/taskmasterd.pid", c.Daemon.Pidfile);
        Assert.Equal(Path.TrimEndingDirectorySeparator(Path.GetTempPath()), c.Daemon.ChildLogDir);
        Assert.Equal(0x12, c.Daemon.Umask);
        Assert.Equal("/tmp/taskmaster.sock", c.UnixHttpServer!.File);
        Assert.Null(c.InetHttpServer);
        Assert.Equal(Cfg.File, c.SourceFile);
    }

    [Fact]
    public void ShortDialect_MapsOntoTheSameModel()
    {
        var shortForm = Cfg.One("[w]\ncmd = run it\nworkingdir = /srv\nstarttime = 5\nstoptime = 7\nstdout = out.log\nstderr = NONE\nenv = A=1\n");
        var longForm = Cfg.One("[program:w]\ncommand = run it\ndirectory = /srv\nstartsecs = 5\nstopwaitsecs = 7\nstdout_logfile = out.log\nstderr_logfile = NONE\nenvironment = A=1\n");
        Assert.Equal(longForm with { Origins = shortForm.Origins }, shortForm);
        Assert.Equal("/srv", shortForm.Directory);
        Assert.Equal("/etc/tm/out.log", shortForm.Stdout.Path);
        Assert.True(shortForm.Stderr.Discards);
        Assert.Equal(new SourceLocation(Cfg.File, 2, 7), shortForm.Origins["command"]);
        Assert.Equal(new SourceLocation(Cfg.File, 4, 13), shortForm.Origins["startsecs"]);
    }

    [Fact]
    public void BothSpellingsInOneSection_IsError() =>
        Assert.Contains("same key", Cfg.FailsOnce("[w]\ncmd = a\ncommand = b\n").Message);

    [Fact]
    public void MixedDialects_InOneFile()
    {
        var c = Cfg.Load("[a]\ncmd=x\n[program:b]\ncommand=y\n");
        Assert.Equal(["a", "b"], c.Programs.Select(p => p.Name));
    }

    [Fact]
    public void SameProgramInBothDialects_IsDuplicateSection() =>
        Assert.Contains("duplicate section", Cfg.FailsOnce("[a]\ncmd=x\n[program:a]\ncommand=y\n").Message);

    [Fact]
    public void MissingCommand_IsErrorAtSectionHeader()
    {
        var e = Cfg.FailsOnce("[program:web]\nautostart=true\n");
        Assert.Equal(new SourceLocation(Cfg.File, 1, 2), e.Location);
        Assert.Contains("missing required key 'command'", e.Message);
    }

    [Fact]
    public void BareSectionNearAKnownName_SuggestsIt() =>
        Assert.Contains("did you mean [supervisord]", Cfg.FailsOnce("[supervisor]\nlogfile=x\n").Message);

    [Fact]
    public void NumProcs_ExpandsInstances_WithDefaultProcessName_AndPerInstanceLogs()
    {
        var c = Cfg.Load("[program:w]\ncommand=run %(process_num)d\nnumprocs=3\nnumprocs_start=1\nstdout_logfile=/l/w.log\nstderr_logfile=/l/w-%(process_num)d.err\n");
        var ps = c.AllProcesses.ToList();
        Assert.Equal(["w_01", "w_02", "w_03"], ps.Select(p => p.Name));
        Assert.All(ps, p => Assert.Equal("w", p.GroupName));
        Assert.Equal(["/l/w.log.1", "/l/w.log.2", "/l/w.log.3"], ps.Select(p => p.Stdout.Path));
        Assert.Equal(["/l/w-1.err", "/l/w-2.err", "/l/w-3.err"], ps.Select(p => p.Stderr.Path));
        Assert.Equal(["run", "2"], ps[1].Command.Argv.ToArray());
        Assert.Equal("w:w_02", ps[1].FullName);
        Assert.Equal(3, Assert.Single(c.Programs).Numprocs);
    }

    [Fact]
    public void NumProcs_ProcessNameThatDoesNotVary_IsError() =>
        Assert.Contains("same name", Cfg.FailsOnce("[program:w]\ncommand=x\nnumprocs=2\nprocess_name=fixed\n").Message);

    [Fact]
    public void ProcessName_Custom()
    {
        var c = Cfg.Load("[program:w]\ncommand=x\nnumprocs=2\nprocess_name=%(program_name)s-%(process_num)d\n");
        Assert.Equal(["w-0", "w-1"], c.AllProcesses.Select(p => p.Name));
    }

    [Fact]
    public void AutoLogs_GoToChildLogDir_NamedAfterInstance_WithARandomPartAsSupervisord()
    {
        var config = "[supervisord]\nchildlogdir=/var/log/tm\n[program:w]\ncommand=x\nnumprocs=2\n";
        var p = Cfg.Load(config).AllProcesses.Last();
        Assert.Matches(@"^/var/log/tm/w_01-stdout---taskmaster-[0-9a-f]{12}\.log$", p.Stdout.Path);
        Assert.Matches(@"^/var/log/tm/w_01-stderr---taskmaster-[0-9a-f]{12}\.log$", p.Stderr.Path);
        Assert.NotEqual(p.Stdout.Path![^17..], p.Stderr.Path![^17..]);
        Assert.True(p.Stdout.IsAuto);
        // The same within one daemon: a reload must not see every AUTO log as changed.
        Assert.Equal(p.Stdout.Path, Cfg.Load(config).AllProcesses.Last().Stdout.Path);
    }

    [Fact]
    public void RedirectStderr_DiscardsStderrTarget_AndWarnsAboutAFilename()
    {
        var c = Cfg.Load("[program:w]\ncommand=x\nredirect_stderr=true\nstderr_logfile=/x/err.log\n");
        var p = Assert.Single(c.AllProcesses);
        Assert.True(p.RedirectStderr);
        Assert.Equal(LogTarget.Discard, p.Stderr);
        Assert.Contains(c.Warnings, w => w.Key == "stderr_logfile" && w.Message.Contains("redirect_stderr"));
    }

    [Theory]
    [InlineData("NONE")] [InlineData("none")] [InlineData("off")]
    public void LogNone_Discards(string value) => Assert.True(Cfg.One($"[p]\ncmd=x\nstdout={value}\n").Stdout.Discards);

    [Fact]
    public void StopAsGroupWithoutKillAsGroup_IsError() =>
        Assert.Contains("killasgroup=false", Cfg.FailsOnce("[p]\ncmd=x\nkillasgroup=false\n").Message);

    [Fact]
    public void UserAndDirectory()
    {
        var p = Cfg.One("[program:p]\ncommand=x\nuser=nobody\ndirectory=sub/dir\n");
        Assert.Equal("nobody", p.User);
        Assert.Equal("/etc/tm/sub/dir", p.Directory);
    }

    [Fact]
    public void Groups_GatherPrograms_AndSortByPriority()
    {
        var c = Cfg.Load("[program:a]\ncommand=x\npriority=5\n[program:b]\ncommand=y\npriority=1\n[program:solo]\ncommand=z\npriority=500\n[group:g]\nprograms=a, b\npriority=10\n");
        Assert.Equal(["g", "solo"], c.Groups.Select(g => g.Name));
        Assert.Equal(10, c.Groups[0].Priority);
        Assert.Equal(["b", "a"], c.Groups[0].Processes.Select(p => p.Name));
        Assert.All(c.Groups[0].Processes, p => Assert.Equal("g", p.GroupName));
        Assert.Equal("g:a", c.AllProcesses.First(p => p.Name == "a").FullName);
    }

    [Fact]
    public void Groups_GroupNameExpansion()
    {
        var c = Cfg.Load("[program:a]\ncommand=echo %(group_name)s\n[group:g]\nprograms=a\n");
        Assert.Equal(["echo", "g"], Assert.Single(c.AllProcesses).Command.Argv.ToArray());
    }

    [Theory]
    [InlineData("[program:a]\ncommand=x\n[group:g]\nprograms=a,nope\n", "no program named 'nope'")]
    [InlineData("[program:abc]\ncommand=x\n[group:g]\nprograms=abd\n", "did you mean 'abc'")]
    [InlineData("[group:g]\npriority=1\n", "needs a 'programs' key")]
    public void Groups_Errors(string text, string message) =>
        Assert.Contains(Cfg.Fails(text).Errors, e => e.Message.Contains(message));

    [Fact]
    public void Groups_ProgramInTwoGroups_LoadsInTheFirst_WithAWarning()
    {
        var c = Cfg.Load("[program:a]\ncommand=x\n[group:g]\nprograms=a\n[group:h]\nprograms=a\n");
        Assert.Equal("g:a", Assert.Single(c.AllProcesses).FullName);
        var warning = Assert.Single(c.Warnings);
        Assert.Equal(6, warning.Location.Line);
        Assert.Contains("already in group 'g' and stays there only (supervisord would also run a second copy as h:a)", warning.Message);
    }

    [Fact]
    public void DaemonSection_AllKeys()
    {
        var c = Cfg.Load("[taskmasterd]\nlogfile=%(here)s/d.log\nlogfile_maxbytes=1MB\nlogfile_backups=2\nloglevel=debug\npidfile=/run/d.pid\nnodaemon=true\numask=027\nuser=root\ndirectory=/\nchildlogdir=logs\nenvironment=A=1\nminfds=10\nminprocs=20\nidentifier=me\n");
        var d = c.Daemon;
        Assert.Equal("/etc/tm/d.log", d.Logfile);
        Assert.Equal(1024 * 1024, d.LogfileMaxBytes);
        Assert.Equal(2, d.LogfileBackups);
        Assert.Equal("debug", d.LogLevel);
        Assert.Equal("/run/d.pid", d.Pidfile);
        Assert.True(d.Nodaemon);
        Assert.Equal(0x17, d.Umask);
        Assert.Equal("root", d.User);
        Assert.Equal("/", d.Directory);
        Assert.Equal("/etc/tm/logs", d.ChildLogDir);
        Assert.Equal([new KeyValuePair<string, string>("A", "1")], d.Environment.ToArray());
        Assert.Equal(10, d.MinFds);
        Assert.Equal(20, d.MinProcs);
        Assert.Equal("me", d.Identifier);
    }

    [Fact]
    public void DaemonSection_BadLogLevel() =>
        Assert.Contains("not a log level", Cfg.FailsOnce("[supervisord]\nloglevel=loud\n").Message);

    [Fact]
    public void ServerSections()
    {
        var c = Cfg.Load("[unix_http_server]\nfile=%(here)s/s.sock\nchmod=0770\nchown=me:staff\nusername=u\npassword=p\n" +
                         "[inet_http_server]\nport=127.0.0.1:9001\nusername=iu\npassword=ip\n" +
                         "[taskmasterctl]\nserverurl=unix:///x.sock\nusername=cu\npassword=cp\nprompt=tm\nhistory_file=/h\n" +
                         "[rpcinterface:supervisor]\nsupervisor.rpcinterface_factory = x\n");
        Assert.Equal(new UnixHttpServerSettings { File = "/etc/tm/s.sock", Chmod = 0x1F8, Chown = "me:staff", Username = "u", Password = "p" }, c.UnixHttpServer);
        Assert.Equal(new InetHttpServerSettings("127.0.0.1", 9001, "iu", "ip"), c.InetHttpServer);
        Assert.Equal(new CtlSettings { ServerUrl = "unix:///x.sock", Username = "cu", Password = "cp", Prompt = "tm", HistoryFile = "/h" }, c.Ctl);
        Assert.Empty(c.Warnings);
    }

    [Theory]
    [InlineData("9001", "", 9001)] [InlineData("*:9001", "*", 9001)] [InlineData("[::1]:80", "::1", 80)]
    public void InetPort_Forms(string port, string host, int number) =>
        Assert.Equal(new InetHttpServerSettings(host, number, null, null), Cfg.Load($"[inet_http_server]\nport={port}\n").InetHttpServer);

    [Fact]
    public void InetPort_Invalid() =>
        Assert.Contains("not a port", Cfg.FailsOnce("[inet_http_server]\nport=host:http\n").Message);

    [Fact]
    public void UnknownKeys_AreWarnings_WithDidYouMean()
    {
        var c = Cfg.Load("[program:p]\ncommand=x\nautorestrat=true\nfrobnicate=1\n");
        Assert.Contains(c.Warnings, w => w.Key == "autorestrat" && w.Message.Contains("did you mean 'autorestart'"));
        Assert.Contains(c.Warnings, w => w.Key == "frobnicate" && w.Message == "unknown key, ignored");
    }

    [Theory]
    [InlineData("stdout_syslog=true")] [InlineData("stderr_syslog=true")]
    public void UnimplementedSupervisordKeys_AreWarnings(string line)
    {
        var c = Cfg.Load($"[program:p]\ncommand=x\n{line}\n");
        Assert.Contains(c.Warnings, w => w.Message.Contains("not implemented") && w.Location.Line == 3);
    }

    [Fact]
    public void UnknownAndUnsupportedSections_AreWarnings()
    {
        var c = Cfg.Load("[programs:p]\ncommand=x\n[fcgi-program:f]\ncommand=z\n[ctlplugin:c]\nx=1\n");
        Assert.Contains(c.Warnings, w => w.Message.Contains("did you mean [program:p]"));
        Assert.Equal(1, c.Warnings.Count(w => w.Message.Contains("not supported")));
        Assert.Empty(c.Programs);
    }

    [Fact]
    public void ThreeMistakesOnThreeLines_AreAllReported()
    {
        var ex = Cfg.Fails("[program:p]\ncommand=x\nautostart=perhaps\nstartsecs=soon\nstopsignal=NOPE\n");
        Assert.Equal([3, 4, 5], ex.Errors.Select(e => e.Location.Line));
        Assert.All(ex.Errors, e => Assert.Equal(Cfg.File, e.Location.File));
        Assert.Contains("test.conf:4:11: [program:p] startsecs: 'soon' is not a whole number", ex.Message);
    }

    [Fact]
    public void ErrorsInSeveralInstances_AreReportedOnce() =>
        Assert.Single(Cfg.Fails("[program:p]\ncommand=x\nnumprocs=5\nautostart=perhaps\n").Errors);

    [Fact]
    public void Diagnostic_RendersHeadlineLineAndCaret()
    {
        var e = Cfg.FailsOnce("[p]\ncmd = x\nstopsignal = BOGUS\n");
        Assert.Equal($"{Cfg.File}:3:14: [p] stopsignal: 'BOGUS' is not a signal (a name such as TERM or SIGTERM, or a number 1..64)\n    stopsignal = BOGUS\n                 ^", e.ToString());
    }

    [Fact]
    public void ContinuationLineError_PointsIntoTheRightLine()
    {
        var e = Cfg.FailsOnce("[p]\ncmd = x\nenv = A=1,\n   B 2\n");
        Assert.Equal(4, e.Location.Line);
        Assert.Equal("   B 2", e.LineText);
    }

    [Fact]
    public void MissingMainFile_IsConfigException()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load("/nonexistent/dir/x.conf", Cfg.Env, "h"));
        Assert.Contains("cannot read", Assert.Single(ex.Errors).Message);
    }
}

public class ConfigEqualityTests
{
    [Fact]
    public void TwoLoadsOfOneText_AreEqual_EvenWhenSectionsMove()
    {
        var a = Cfg.Load("[program:a]\ncommand=x y\nenvironment=A=1\nexitcodes=0,2\n[program:b]\ncommand=z\n");
        var b = Cfg.Load("; moved\n[program:b]\ncommand=z\n\n[program:a]\nexitcodes=0,2\ncommand=x y\nenvironment=A=1\n");
        Assert.Equal(a.Programs.Single(p => p.Name == "a"), b.Programs.Single(p => p.Name == "a"));
        Assert.Equal(a.Groups.Single(g => g.Name == "b"), b.Groups.Single(g => g.Name == "b"));
        Assert.Equal(a.Daemon, b.Daemon);
        Assert.NotEqual(a.Programs[0], Cfg.Load("[program:a]\ncommand=x y\nenvironment=A=2\nexitcodes=0,2\n").Programs[0]);
    }
}
