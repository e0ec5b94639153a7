// Issue 16: Debian's supervisorctl 4.2.5, unchanged, against taskmasterd's XML-RPC door. One file runs under supervisord
// and under taskmasterd (SideBySide); every command goes through the real supervisorctl to each, and what it prints and
// its exit code must be the same, once pids, uptimes, dates and the temp directories are masked.
//
// Deliberate differences, each asserted where it shows:
// - stop and restart of several processes: supervisord lists the stops in the order they completed (it polls them all
//   together), which differs from run to run under load; those answers are compared as sets of lines.
// - maintail: the daemon's own log is each daemon's own text (taskmasterd words and formats its activity log itself,
//   docs/DIFFERENCES.md); only the exit code, the banner of -f and that lines arrive are compared.
using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Conformance;

public sealed partial class SupervisorctlConformanceTests
{
    private const string Programs = """
        [program:alpha]
        command = /bin/sleep 1000
        startsecs = 0

        [program:echo]
        command = {fixtures}/echo_each_hup.sh
        startsecs = 0

        [program:w1]
        command = /bin/sleep 1000
        startsecs = 0
        [program:w2]
        command = /bin/sleep 1000
        startsecs = 0
        priority = 10
        [group:web]
        programs = w1,w2

        [program:idle]
        command = /bin/sleep 1000
        startsecs = 0
        autostart = false

        """;

    /// <summary>After the edit: alpha gone, idle changed, gamma new.</summary>
    private const string EditedPrograms = """
        [program:echo]
        command = {fixtures}/echo_each_hup.sh
        startsecs = 0

        [program:w1]
        command = /bin/sleep 1000
        startsecs = 0
        [program:w2]
        command = /bin/sleep 1000
        startsecs = 0
        priority = 10
        [group:web]
        programs = w1,w2

        [program:idle]
        command = /bin/sleep 2000
        startsecs = 0
        autostart = false

        [program:gamma]
        command = /bin/sleep 1000
        startsecs = 0

        """;

    [GeneratedRegex(@"pid \d+, uptime (\d+ days?, )?\d+:\d\d:\d\d")]
    private static partial Regex Uptime();

    [GeneratedRegex(@"[A-Z][a-z]{2} \d\d \d\d:\d\d [AP]M")]
    private static partial Regex StopDate();

    [GeneratedRegex(@"^\d+$", RegexOptions.Multiline)]
    private static partial Regex BarePid();

    private static string Mask(string text, string dir) =>
        BarePid().Replace(StopDate().Replace(Uptime().Replace(text.Replace(dir, "DIR"), "pid PID, uptime UPTIME"), "DATE"), "PID");

    private static async Task SameAsync(SideBySide both, params string[] command)
    {
        var (theirs, ours) = await both.SupervisorctlBothAsync(command);
        var verb = string.Join(' ', command);
        Assert.Equal((verb, theirs.ExitCode, Mask(theirs.Stdout, both.SupervisordDir), Mask(theirs.Stderr, both.SupervisordDir)),
            (verb, ours.ExitCode, Mask(ours.Stdout, both.Taskmasterd.Dir), Mask(ours.Stderr, both.Taskmasterd.Dir)));
    }

    /// <summary>As <see cref="SameAsync"/>, the lines in any order (stops of several processes, see the header).</summary>
    private static async Task SameLinesAsync(SideBySide both, params string[] command)
    {
        var (theirs, ours) = await both.SupervisorctlBothAsync(command);
        static string Sorted(string text) => string.Join('\n', text.Split('\n').Order(StringComparer.Ordinal));
        var verb = string.Join(' ', command);
        Assert.Equal((verb, theirs.ExitCode, Sorted(Mask(theirs.Stdout, both.SupervisordDir)), theirs.Stderr),
            (verb, ours.ExitCode, Sorted(Mask(ours.Stdout, both.Taskmasterd.Dir)), ours.Stderr));
    }

    /// <summary>Polls supervisorctl status on both until both masked outputs equal <paramref name="expected"/>.</summary>
    private static async Task WaitForStatusAsync(SideBySide both, string expected)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (theirs, ours) = await both.SupervisorctlBothAsync("status");
            var (t, o) = (Mask(theirs.Stdout, both.SupervisordDir), Mask(ours.Stdout, both.Taskmasterd.Dir));
            if (t == expected && o == expected) return;
            if (DateTime.UtcNow > deadline)
                Assert.Fail($"status never became\n{expected}\nsupervisord:\n{t}\ntaskmasterd:\n{o}\n{both.Taskmasterd.Output}");
            await Task.Delay(100);
        }
    }

    private static string StatusLine(string name, string state, string description) => $"{name,-33}{state,-10}{description}\n";

    private static string AllRunning(string idle = "Not started") =>
        StatusLine("alpha", "RUNNING", "pid PID, uptime UPTIME") + StatusLine("echo", "RUNNING", "pid PID, uptime UPTIME")
        + StatusLine("idle", "STOPPED", idle)
        + StatusLine("web:w1", "RUNNING", "pid PID, uptime UPTIME") + StatusLine("web:w2", "RUNNING", "pid PID, uptime UPTIME");

    /// <summary>Waits until both daemons' log of <paramref name="program"/> holds <paramref name="count"/> lines "got HUP".</summary>
    private static async Task WaitForHupsAsync(SideBySide both, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var (theirs, ours) = await both.SupervisorctlBothAsync("tail", "echo");
            if (Regex.Count(theirs.Stdout, "got HUP") >= count && Regex.Count(ours.Stdout, "got HUP") >= count) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"never {count} HUPs:\n{theirs}\n{ours}");
            await Task.Delay(100);
        }
    }

    [RequiresFact(Requirement.Supervisor)]
    public async Task Supervisorctl_SameAnswers_FromSupervisordAndTaskmasterd()
    {
        await using var both = SideBySide.Create(Programs);
        await both.StartAsync();
        await WaitForStatusAsync(both, AllRunning());

        await SameAsync(both, "status");
        await SameAsync(both, "status", "alpha");
        await SameAsync(both, "status", "web:*");
        await SameAsync(both, "status", "nosuch");
        await SameAsync(both, "status", "alpha", "nosuch:*");
        await SameAsync(both, "version");
        await SameAsync(both, "avail");

        // start / stop / restart: one name, a group, everything; already started, not running, unknown.
        await SameAsync(both, "start", "alpha");
        await SameAsync(both, "stop", "idle");
        await SameAsync(both, "start", "nosuch");
        await SameAsync(both, "start", "idle");
        await SameAsync(both, "stop", "idle");
        await SameAsync(both, "stop", "alpha");
        await SameAsync(both, "status", "alpha");
        await SameAsync(both, "start", "alpha");
        await SameAsync(both, "restart", "alpha");
        await SameLinesAsync(both, "stop", "web:*");
        await SameAsync(both, "start", "web:*");
        await SameLinesAsync(both, "restart", "web:*");
        await SameLinesAsync(both, "stop", "all");
        await SameAsync(both, "status");
        await SameAsync(both, "start", "all");
        await SameLinesAsync(both, "restart", "all");
        await SameAsync(both, "stop", "idle");
        await WaitForStatusAsync(both, AllRunning(idle: "DATE"));

        // signal, pid
        await SameAsync(both, "signal", "CONT", "alpha");
        await SameAsync(both, "signal", "CONT", "web:*");
        await SameAsync(both, "signal", "CONT", "all");
        await SameAsync(both, "signal", "HUP", "idle");
        await SameAsync(both, "signal", "NOSUCH", "alpha");
        await SameAsync(both, "signal", "HUP", "echo");
        await SameAsync(both, "pid");
        await SameAsync(both, "pid", "alpha");
        await SameAsync(both, "pid", "idle");
        await SameAsync(both, "pid", "all");

        // tail: bytes, stderr, -f for a moment
        await WaitForHupsAsync(both, 1);
        await SameAsync(both, "tail", "echo");
        await SameAsync(both, "tail", "-5", "echo");
        await SameAsync(both, "tail", "echo", "stderr");
        await SameAsync(both, "tail", "nosuch");
        var (theirFollow, ourFollow) = await FollowBothAsync(both, ["tail", "-f", "echo"], "got HUP\n",
            () => both.SupervisorctlBothAsync("signal", "HUP", "echo"), "got HUP\ngot HUP\n");
        Assert.Equal(theirFollow, ourFollow);

        // maintail: each daemon's own log (the deliberate difference above)
        var (theirMain, ourMain) = await both.SupervisorctlBothAsync("maintail");
        Assert.Equal((0, 0), (theirMain.ExitCode, ourMain.ExitCode));
        Assert.NotEmpty(ourMain.Stdout);
        var (theirMainFollow, ourMainFollow) = await FollowBothAsync(both, ["maintail", "-f"], "\n", null, "\n");
        Assert.StartsWith("==> Press Ctrl-C to exit <==\n", theirMainFollow);
        Assert.StartsWith("==> Press Ctrl-C to exit <==\n", ourMainFollow);

        // clear
        await SameAsync(both, "clear", "echo");
        await SameAsync(both, "tail", "echo");
        await SameAsync(both, "clear", "all");
        await SameAsync(both, "clear", "nosuch");

        // reread / update / add / remove after editing the file
        both.RewritePrograms(EditedPrograms);
        await SameAsync(both, "reread");
        await SameAsync(both, "avail");
        await SameAsync(both, "update");
        await SameAsync(both, "status");
        await SameAsync(both, "remove", "gamma");
        await SameAsync(both, "stop", "gamma");
        await SameAsync(both, "remove", "gamma");
        await SameAsync(both, "avail");
        await SameAsync(both, "add", "gamma");
        await SameAsync(both, "add", "gamma");
        await SameAsync(both, "add", "nosuch");
        await SameAsync(both, "reread");

        await SameAsync(both, "shutdown");
        Assert.Equal(0, await both.Taskmasterd.WaitForExitAsync());
    }

    /// <summary>A program that exits at once: supervisorctl says spawn error and exits 7 with both daemons.</summary>
    [RequiresFact(Requirement.Supervisor)]
    public async Task Supervisorctl_StartOfAProgramThatExitsAtOnce_IsASpawnErrorFromBoth()
    {
        await using var both = SideBySide.Create("""
            [program:quick]
            command = /bin/true
            startsecs = 10
            startretries = 0
            autostart = false

            """);
        await both.StartAsync();
        await SameAsync(both, "start", "quick");
        await SameAsync(both, "status");
        await SameAsync(both, "start", "quick:*");
    }

    /// <summary>
    /// Runs a following supervisorctl command against both daemons until each printed <paramref name="first"/>, then
    /// runs <paramref name="then"/> and waits for <paramref name="until"/> in each, and returns what each printed.
    /// </summary>
    private static async Task<(string Supervisord, string Taskmasterd)> FollowBothAsync(SideBySide both, string[] command,
        string first, Func<Task>? then, string until)
    {
        var theirs = Follow(both.SupervisordConfig, command);
        var ours = Follow(both.Taskmasterd.ConfigPath, command);
        try
        {
            await WaitForTextAsync(theirs, first);
            await WaitForTextAsync(ours, first);
            if (then is not null) await then();
            await WaitForTextAsync(theirs, until);
            await WaitForTextAsync(ours, until);
            return (Mask(theirs.Text, both.SupervisordDir), Mask(ours.Text, both.Taskmasterd.Dir));
        }
        finally
        {
            theirs.Dispose();
            ours.Dispose();
        }
    }

    private sealed class Following(Process process) : IDisposable
    {
        private readonly StringBuilder _text = new();
        public Process Process { get; } = process;
        public string Text { get { lock (_text) return _text.ToString(); } }
        public void Append(string s) { lock (_text) _text.Append(s); }
        public void Dispose()
        {
            if (!Process.HasExited) Process.Kill(entireProcessTree: true);
            Process.Dispose();
        }
    }

    private static Following Follow(string config, string[] command)
    {
        var psi = new ProcessStartInfo("/usr/bin/supervisorctl")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false,
        };
        psi.Environment["PYTHONUNBUFFERED"] = "1";
        foreach (var a in (string[])["-c", config, .. command]) psi.ArgumentList.Add(a);
        var following = new Following(Process.Start(psi)!);
        _ = Task.Run(async () =>
        {
            var buffer = new char[4096];
            int n;
            while ((n = await following.Process.StandardOutput.ReadAsync(buffer)) > 0) following.Append(new string(buffer, 0, n));
        });
        return following;
    }

    private static async Task WaitForTextAsync(Following following, string text)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!following.Text.Contains(text, StringComparison.Ordinal))
        {
            if (following.Process.HasExited && !following.Text.Contains(text, StringComparison.Ordinal))
                Assert.Fail($"supervisorctl ended (exit {following.Process.ExitCode}) before printing '{text}':\n{following.Text}\n{await following.Process.StandardError.ReadToEndAsync()}");
            if (DateTime.UtcNow > deadline) Assert.Fail($"never printed '{text}':\n{following.Text}");
            await Task.Delay(50);
        }
    }
}
