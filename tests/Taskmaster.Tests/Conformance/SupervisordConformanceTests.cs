// Issue 26: a supervisord file means the same thing here. Each test runs one file under supervisord 4.2.5 and under
// taskmasterd (SideBySide) and sends both the same commands, asserting the same argv, the same words and the same exit
// codes; where the two differ on purpose, the test asserts the difference docs/DIFFERENCES.md describes.
using Taskmaster.Tests.Control;
using Taskmaster.Tests.EndToEnd;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Conformance;

public sealed class SupervisordConformanceTests
{
    // The rows of the issue's table, and quoting: each program writes the argv it was given to NAME.argv.
    private static readonly (string Name, string Command, string Argv)[] Commands =
    [
        ("semicolon", "{fixtures}/dump_argv.sh a;b c#d e", "[a;b][c#d][e]"),
        ("dollar", "{fixtures}/dump_argv.sh pa$$word $HOME", "[pa$$word][$HOME]"),
        ("glob", "{fixtures}/dump_argv.sh *.conf", "[*.conf]"),
        ("tilde", "{fixtures}/dump_argv.sh ~/x", "[~/x]"),
        ("continued", "{fixtures}/dump_argv.sh one\n    two", "[one][two]"),
        ("quotes", "{fixtures}/dump_argv.sh 'a b' \"c\\\"d\" e\\ f é", "[a b][c\"d][e f][é]"),
    ];

    [RequiresFact(Requirement.Supervisor)]
    public async Task Commands_GiveTheSameArgv()
    {
        var programs = string.Concat(Commands.Select(c =>
            $"[program:{c.Name}]\ncommand = {c.Command}\ndirectory = %(here)s\nstartsecs = 0\n\n"));
        await using var both = SideBySide.Create(programs);
        await both.StartAsync();
        foreach (var (name, _, argv) in Commands)
        {
            var theirs = Path.Combine(both.SupervisordDir, name + ".argv");
            var ours = Path.Combine(both.Taskmasterd.Dir, name + ".argv");
            await both.WaitUntilAsync(() => File.Exists(theirs) && File.Exists(ours), $"{name}'s argv from both");
            Assert.Equal((name, argv), (name, File.ReadAllText(theirs)));
            Assert.Equal((name, argv), (name, File.ReadAllText(ours)));
        }
    }

    /// <summary>A daemon key (into [supervisord]) or a program section, the key reported, and the words.</summary>
    public static TheoryData<string, string, string> RefusedFiles => new()
    {
        { "logfile = /nonexistent-26/daemon.log", "logfile", "the directory /nonexistent-26 does not exist" },
        { "[program:a]\ncommand = /bin/sleep 100\nstdout_logfile = /nonexistent-26/a.log\n", "stdout_logfile", "the directory /nonexistent-26 does not exist" },
        { "[program:a]\ncommand = /bin/sleep 100\nstderr_logfile = /nonexistent-26/a.log\n", "stderr_logfile", "the directory /nonexistent-26 does not exist" },
        { "childlogdir = /nonexistent-26", "childlogdir", "/nonexistent-26 is not an existing directory" },
        { "[program:a]\ncommand = /bin/sleep 100\nuser = nosuchuser26\n", "user", "no user named 'nosuchuser26'" },
        { "minfds = 100000000", "minfds", "minfds=100000000 is more than this environment allows" },
        { "[program:a]\ncommand = /bin/sleep 100\nenvironment = D=\"with \\\"quote\\\"\"\n", "environment", "supervisord refuses this value" },
    };

    /// <summary>What supervisord refuses to start with (exit 2, "Error: ..."), taskmasterd refuses too: --check and the
    /// daemon itself, with file:line:col and the key.</summary>
    [RequiresTheory(Requirement.Supervisor)]
    [MemberData(nameof(RefusedFiles))]
    public async Task FileSupervisordRefuses_IsAnErrorUpFront(string text, string key, string message)
    {
        await using var both = text.StartsWith('[') ? SideBySide.Create(text) : SideBySide.Create("", daemonKeys: text);
        // Our --check stands in for the daemon's start (both load through the same source); supervisord has no check.
        var theirs = await SideBySide.Run("/usr/bin/supervisord", ["-n", "-c", both.SupervisordConfig], both.SupervisordDir);
        Assert.True(theirs.ExitCode == 2, theirs.ToString());
        Assert.StartsWith("Error: ", theirs.Stderr);

        var check = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", both.Taskmasterd.ConfigPath]);
        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(both.Taskmasterd.ConfigPath)}:\d+:\d+: \[[a-z:]+\] {key}: .*{System.Text.RegularExpressions.Regex.Escape(message)}", check.Stderr);
        var start = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", both.Taskmasterd.ConfigPath]);
        Assert.True(start.ExitCode == 2, start.ToString());
        Assert.Contains(message, start.Stderr);
    }

    /// <summary>A documented difference: supervisord listens off loopback without credentials (and logs CRIT); taskmasterd
    /// refuses, and --check says so before the start does.</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task InetServerOffLoopbackWithoutCredentials_CheckRefusesIt()
    {
        await using var both = SideBySide.Create("[inet_http_server]\nport = 0.0.0.0:19026\n");
        var check = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", both.Taskmasterd.ConfigPath]);
        Assert.True(check.ExitCode == 2, check.ToString());
        Assert.Contains("[inet_http_server] port: '0.0.0.0:19026' listens beyond this machine without credentials", check.Stderr);
    }

    /// <summary>What supervisord loads, loads: a repeated key (the last wins) and a program in two groups, each with a
    /// warning here (supervisord says nothing).</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task FileSupervisordLoads_Loads_WithWarnings()
    {
        await using var both = SideBySide.Create("""
            [program:twice]
            command = {fixtures}/dump_argv.sh first
            command = {fixtures}/dump_argv.sh second
            directory = %(here)s
            startsecs = 0

            [program:member]
            command = /bin/sleep 1000
            [group:x]
            programs = member
            [group:y]
            programs = member

            """);
        var check = await DaemonUnderTest.RunDaemonCommandAsync(["--check", "-c", both.Taskmasterd.ConfigPath]);
        Assert.True(check.ExitCode == 0, check.ToString());
        await both.StartAsync();
        foreach (var dir in new[] { both.SupervisordDir, both.Taskmasterd.Dir })
        {
            var argv = Path.Combine(dir, "twice.argv");
            await both.WaitUntilAsync(() => File.Exists(argv), $"twice.argv in {dir}");
            Assert.Equal("[second]", File.ReadAllText(argv));
        }
        Assert.Contains("duplicate key: this setting replaces the one at", both.Taskmasterd.Output);
        // supervisord runs the member once per group; taskmasterd in the first group only (docs/DIFFERENCES.md).
        var (theirs, ours) = await both.BothAsync("pid", "x:member");
        Assert.Equal((0, 0), (theirs.ExitCode, ours.ExitCode));
        (theirs, ours) = await both.BothAsync("pid", "y:member");
        Assert.Equal(0, theirs.ExitCode);
        Assert.NotEqual(0, ours.ExitCode);
    }

    private const string AnswerPrograms = """
        [program:missing]
        command = /nonexistent-26/run
        autostart = false

        [program:noexec]
        command = /etc/passwd
        autostart = false

        [program:quick]
        command = /bin/true
        startsecs = 10
        startretries = 0
        autostart = false

        [program:w1]
        command = /bin/sleep 1000
        startsecs = 0
        [program:w2]
        command = /bin/sleep 1000
        startsecs = 0
        [group:web]
        programs = w1,w2

        [program:out]
        command = /bin/sh -c "echo hello; exec sleep 1000"
        startsecs = 0
        stdout_logfile = /dev/stdout
        stdout_logfile_maxbytes = 0

        """;

    /// <summary>The same words and exit codes from both clients, command by command.</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task Answers_SameWordsAndExitCodes()
    {
        await using var both = SideBySide.Create(AnswerPrograms);
        await both.StartAsync();
        string[][] commands =
        [
            ["start", "missing"],      // no such file, exit 1, checked before any spawn
            ["start", "noexec"],       // file is not executable, exit 1
            ["status", "missing", "noexec"],
            // Exits within startsecs: spawn error, exit 7. Not startsecs = 1: on a loaded machine supervisord may reap
            // /bin/true more than a second after its start, count it as having stayed up, and answer abnormal termination.
            ["start", "quick"],
            ["signal", "0", "web:*"],  // 0 is a signal
            ["add"],                   // nothing to add: nothing said, exit 0
            ["remove"],
            ["stop", "missing"],
            ["start", "nosuch"],
        ];
        foreach (var command in commands)
        {
            var (theirs, ours) = await both.BothAsync(command);
            Assert.Equal((string.Join(' ', command), theirs.ExitCode, theirs.Stdout), (string.Join(' ', command), ours.ExitCode, ours.Stdout));
        }

        // A log that is a pipe (the daemon's stdout here) cannot be read back by either: supervisorctl's words, then why.
        var (theirTail, ourTail) = await both.BothAsync("tail", "out");
        Assert.Equal((1, "out: ERROR (unknown error reading log)"), (theirTail.ExitCode, theirTail.Stdout.Trim()));
        Assert.Equal(1, ourTail.ExitCode);
        Assert.Equal("out: ERROR (unknown error reading log)", ourTail.Lines[0]);
        Assert.Contains("is not a file that can be read back", ourTail.Lines[1]);

        // taskmasterctl pointed at supervisord's socket says who is there.
        var wrongServer = await ControlHost.RunAsync(["-s", "unix://" + Path.Combine(both.SupervisordDir, "tm.sock"), "status"]);
        Assert.Equal(4, wrongServer.ExitCode);
        Assert.Contains("is served by supervisord", wrongServer.Stdout);
    }

    /// <summary>No daemon behind the socket: the same exit code from both clients for every verb, and the same words
    /// where supervisorctl words it (it ends the others on an uncaught Python error).</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task DaemonUnreachable_SameExitCodes()
    {
        await using var both = SideBySide.Create("[program:a]\ncommand = /bin/sleep 1000\n");
        string[][] commands =
        [
            ["status"], ["start", "a"], ["stop", "a"], ["restart", "a"], ["signal", "HUP", "a"], ["tail", "a"], ["pid"],
            ["version"], ["clear", "a"], ["maintail"], ["shutdown"], ["reread"], ["avail"], ["update"], ["add", "a"],
            ["remove", "a"], ["add"], ["remove"],
        ];
        foreach (var command in commands)
        {
            var (theirs, ours) = await both.BothAsync(command);
            var verb = string.Join(' ', command);
            Assert.Equal((verb, theirs.ExitCode), (verb, ours.ExitCode));
            if (theirs.Stdout.Contains(" no such file", StringComparison.Ordinal))
                Assert.Equal((verb, theirs.Stdout.Replace(both.SupervisordDir, "DIR")), (verb, ours.Stdout.Replace(both.Taskmasterd.Dir, "DIR")));
        }
    }

    private static string Sleeper(string name, string command = "/bin/sleep 1000", string extra = "") =>
        $"[program:{name}]\ncommand = {command}\nstartsecs = 0\n{extra}\n";

    private static readonly string BeforeUpdate = Sleeper("kept") + Sleeper("gone") + Sleeper("changed") + Sleeper("tuned");

    private static readonly string AfterUpdate =
        Sleeper("kept") + Sleeper("changed", "/bin/sleep 1001") + Sleeper("tuned", extra: "autorestart = false\n") + Sleeper("added");

    /// <summary>
    /// <c>update</c> says what it did to each group, and nothing about a group it left alone: a removed group is stopped
    /// and removed, a group whose command changed is stopped and updated, a new one added, in supervisorctl's words and
    /// order. The one documented difference: a change that applies in place (autorestart) stops nothing here, so
    /// taskmasterctl does not say <c>stopped</c> and the pid stays (docs/DIFFERENCES.md).
    /// </summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task Update_SaysOnlyWhatHappened_PerGroup()
    {
        await using var both = SideBySide.Create(BeforeUpdate);
        await both.StartAsync();
        await WaitUntilAllRunningAsync(both, 4);
        var tunedPid = (await both.Taskmasterd.CtlAsync("pid", "tuned")).Stdout.Trim();
        both.Rewrite(AfterUpdate);

        var (theirs, ours) = await both.BothAsync("update");

        Assert.Equal((0, 0), (theirs.ExitCode, ours.ExitCode));
        string[] happened =
        [
            "gone: stopped", "gone: removed process group",
            "changed: stopped", "changed: updated process group",
            "added: added process group",
        ];
        Assert.Equal(happened, theirs.Lines.Where(l => !l.StartsWith("tuned:", StringComparison.Ordinal)));
        Assert.Equal(happened, ours.Lines.Where(l => !l.StartsWith("tuned:", StringComparison.Ordinal)));
        Assert.DoesNotContain(ours.Lines, l => l.StartsWith("kept:", StringComparison.Ordinal));
        Assert.Equal(new[] { "tuned: stopped", "tuned: updated process group" }, theirs.Lines.Where(l => l.StartsWith("tuned:", StringComparison.Ordinal)));
        Assert.Equal(new[] { "tuned: updated process group" }, ours.Lines.Where(l => l.StartsWith("tuned:", StringComparison.Ordinal)));
        Assert.Equal(tunedPid, (await both.Taskmasterd.CtlAsync("pid", "tuned")).Stdout.Trim());

        // Nothing changed since: nothing to say, from either.
        (theirs, ours) = await both.BothAsync("update");
        Assert.Equal((0, ""), (theirs.ExitCode, theirs.Stdout));
        Assert.Equal((0, ""), (ours.ExitCode, ours.Stdout));
    }

    /// <summary>
    /// <c>tail -f</c> and <c>fg</c> on a program whose log is the daemon's stdout (docs/containers.md): supervisorctl's
    /// <c>tail -f</c> says nothing after its banner and <c>fg</c> ends on a Python error; taskmasterctl answers with
    /// tail's words for a log it cannot read, then why, exit 1 (docs/DIFFERENCES.md).
    /// </summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task FollowingALogThatIsTheDaemonsStdout_IsAClearError()
    {
        await using var both = SideBySide.Create("""
            [program:out]
            command = /bin/sh -c "echo hello; exec sleep 1000"
            startsecs = 0
            stdout_logfile = /dev/stdout
            stdout_logfile_maxbytes = 0

            """);
        await both.StartAsync();
        await WaitUntilAllRunningAsync(both, 1);
        const string Banner = "==> Press Ctrl-C to exit <==";

        var theirTail = await SideBySide.RunUntilPrintedAsync("/usr/bin/supervisorctl", ["-c", both.SupervisordConfig, "tail", "-f", "out"], Banner);
        Assert.Equal((Banner + "\n", (int?)null), theirTail);
        var theirFg = await SideBySide.RunUntilPrintedAsync("/usr/bin/supervisorctl", ["-c", both.SupervisordConfig, "fg", "out"], "Exiting foreground");
        // Its fg thread's AttributeError (on stdout as well) may come before or after the kill: not part of the assertion.
        Assert.StartsWith(Banner + "\n", theirFg.Stdout);
        Assert.Contains("\nExiting foreground\n", theirFg.Stdout);

        string[][] commands = [["tail", "-f", "out"], ["fg", "out"]];
        foreach (var command in commands)
        {
            var ours = await both.Taskmasterd.CtlAsync(command);
            var verb = string.Join(' ', command);
            Assert.True(ours.ExitCode == 1, $"{verb}: {ours}");
            var lines = ours.Lines.SkipWhile(l => l == Banner).ToArray();
            Assert.Equal((verb, "out: ERROR (unknown error reading log)"), (verb, lines[0]));
            Assert.Contains("is not a file that can be read back", lines[1]);
            Assert.DoesNotContain("INTERNAL", ours.Stdout);
        }
    }

    /// <summary>
    /// The example in the README's list, examples/supervisord.conf, run by both (its files moved into the test's
    /// directory, and the web server on a port of the kernel's choosing so the two copies do not collide): the same
    /// status lines, name and state, once every program is up.
    /// </summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task ReadmeSupervisordExample_SameStatusLines()
    {
        var examples = Path.Combine(AppContext.BaseDirectory, "examples"); // copied next to the tests (the csproj)
        var text = File.ReadAllText(Path.Combine(examples, "supervisord.conf"));
        var programs = text[text.IndexOf("[program:web]", StringComparison.Ordinal)..]
            .Replace("/tmp/taskmaster-supervisord-example", "%(here)s/example", StringComparison.Ordinal)
            .Replace("http.server 8080", "http.server 0", StringComparison.Ordinal);
        await using var both = SideBySide.Create(programs);
        foreach (var dir in new[] { both.SupervisordDir, both.Taskmasterd.Dir })
        {
            Directory.CreateDirectory(Path.Combine(dir, "conf.d"));
            File.Copy(Path.Combine(examples, "conf.d", "clock.conf"), Path.Combine(dir, "conf.d", "clock.conf"));
        }
        await both.StartAsync();
        await WaitUntilAllRunningAsync(both, 4);

        var (theirs, ours) = await both.BothAsync("status");
        static string[] NameAndState(CtlResult r) => r.Lines.Select(l => string.Join(' ', l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(2))).ToArray();
        Assert.Equal((0, 0), (theirs.ExitCode, ours.ExitCode));
        Assert.Equal(NameAndState(theirs), NameAndState(ours));
        Assert.Equal(new[] { "backend:queue_00 RUNNING", "backend:queue_01 RUNNING", "backend:web RUNNING", "clock RUNNING" }, NameAndState(ours));
    }

    /// <summary><c>-l FILE</c> into a directory that does not exist: both refuse to start, exit 2, before running anything.</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task LogfileFlag_InADirectoryThatDoesNotExist_RefusedByBoth()
    {
        await using var both = SideBySide.Create("[program:a]\ncommand = /bin/sleep 1000\n");
        var theirs = await SideBySide.Run("/usr/bin/supervisord", ["-n", "-c", both.SupervisordConfig, "-l", "/nonexistent-26/d.log"], both.SupervisordDir);
        Assert.True(theirs.ExitCode == 2, theirs.ToString());
        Assert.Contains("/nonexistent-26/d.log does not exist", theirs.Stderr);
        var ours = await DaemonUnderTest.RunDaemonCommandAsync(["-n", "-c", both.Taskmasterd.ConfigPath, "-l", "/nonexistent-26/d.log"]);
        Assert.True(ours.ExitCode == 2, ours.ToString());
        Assert.Contains("the directory /nonexistent-26 does not exist (for /nonexistent-26/d.log)", ours.Stderr);
    }

    /// <summary>Both report <paramref name="count"/> processes, every one RUNNING (status polled under a deadline).</summary>
    private static async Task WaitUntilAllRunningAsync(SideBySide both, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (theirs, ours) = await both.BothAsync("status");
            static bool AllRunning(CtlResult r, int n) => r.Lines.Length == n && r.Lines.All(l => l.Contains(" RUNNING ", StringComparison.Ordinal));
            if (AllRunning(theirs, count) && AllRunning(ours, count)) return;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"not all RUNNING:\n--- supervisorctl\n{theirs}\n--- taskmasterctl\n{ours}");
            await Task.Delay(100);
        }
    }
}
