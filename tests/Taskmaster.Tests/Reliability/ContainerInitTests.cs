// taskmasterd as PID 1 of a fresh PID namespace (`unshare --pid --fork --mount-proc`), as in a container.
// The promise (docs/containers.md): every exit status stays exact, orphans re-parented to PID 1 are reaped,
// signals to PID 1 reach the daemon, and the namespace ends with the daemon's exit code.
// The namespace is watched from outside: its PID 1 is unshare's child, and every process in it descends from
// that PID 1 (orphans are re-parented to it), so /proc/PID/task/*/children walks the whole namespace.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Taskmaster.Tests.EndToEnd;

namespace Taskmaster.Tests.Reliability;

public class ContainerInitTests
{
    private static readonly string[] InNewPidNamespace = ["unshare", "--pid", "--fork", "--mount-proc"];

    // Signals whose default action does not dump core (a core would add " (core dumped)" to the status).
    private static readonly (int Number, string Name)[] Kills =
        [(1, "SIGHUP"), (2, "SIGINT"), (9, "SIGKILL"), (10, "SIGUSR1"), (12, "SIGUSR2"), (13, "SIGPIPE"), (14, "SIGALRM"), (15, "SIGTERM")];

    [RequiresFact(Requirement.PidNamespace)]
    public async Task AsPid1_FiftyExitsAreExact_OrphansAreReaped_SignalsReachTheDaemon_TermEndsTheNamespaceWithItsCode()
    {
        var programs = new StringBuilder();
        var expected = new Dictionary<string, string>();
        for (var i = 0; i < 50; i++)
        {
            var name = $"p{i:00}";
            string command;
            if (i % 2 == 0)
            {
                var code = 1 + i * 5; // 1..241, all distinct
                command = $"exit_with.sh {code}";
                expected[name] = $"exit status {code}";
            }
            else
            {
                var (number, signal) = Kills[i / 2 % Kills.Length];
                command = $"kill_self.sh {number}";
                expected[name] = $"terminated by {signal}";
            }
            programs.Append(CultureInfo.InvariantCulture, $"""
                [program:{name}]
                command = {"{fixtures}"}/{command}
                autorestart = false
                startsecs = 0


                """);
        }
        programs.Append("""
            [program:orphans]
            command = {fixtures}/leave_orphans.sh
            autorestart = false
            startsecs = 0

            [program:keeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);

        await using var daemon = DaemonUnderTest.Create(programs.ToString());
        // With a terminal, as `docker run -t`: the case where a .NET PID 1 loses statuses (42 of 51 measured).
        daemon.Launcher = [Path.Combine(DaemonUnderTest.Fixtures, "in_terminal.sh"), .. InNewPidNamespace];
        var init = 0;
        try
        {
            await daemon.StartAsync();
            init = await NamespaceInitAsync(daemon);

            // Every status exactly as the child ended.
            await daemon.WaitUntilAsync(() => ExitedLines(daemon).Count == 51, "51 exits in the activity log", TimeSpan.FromSeconds(120));
            var log = DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath);
            var wrong = expected.Where(e => !log.Contains($"exited: {e.Key} ({e.Value};", StringComparison.Ordinal)).ToList();
            Assert.True(wrong.Count == 0, $"{wrong.Count} of 50 statuses wrong or missing, e.g. {string.Join("; ", wrong.Take(5))}:\n"
                + string.Join("\n", ExitedLines(daemon)));

            // The orphans (5 copies of the script whose parent exited) end, and nobody is left a zombie.
            try
            {
                await daemon.WaitUntilAsync(() => Namespace(init).All(p => ProcFs.State(p) != 'Z' && !Comm(p).StartsWith("leave_orphans", StringComparison.Ordinal)),
                    "the orphans to be gone and no zombie left", TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                Assert.Fail("orphans or zombies left in the namespace: " + Describe(init));
            }

            // Signals sent to PID 1 reach the daemon.
            ProcFs.Kill(init, 1);
            await daemon.WaitForOutputAsync("received SIGHUP");

            ProcFs.Kill(init, 15);
            Assert.Equal(0, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60)));
            Assert.Contains("received SIGTERM", daemon.Output);
            Assert.Contains("stopped: keeper", daemon.Output);
            Assert.False(ProcFs.IsAlive(init), "PID 1 outlived the daemon");
        }
        finally
        {
            if (init > 0) ProcFs.Kill(init, 9); // a PID namespace dies with its PID 1
        }
    }

    [RequiresFact(Requirement.PidNamespace)]
    public async Task AsPid1_DaemonKilledBySignal_NamespaceEndsWith128PlusSignal()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:keeper]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        daemon.Launcher = InNewPidNamespace;
        var init = 0;
        try
        {
            await daemon.StartAsync();
            init = await NamespaceInitAsync(daemon);
            var daemonPid = Children(init).Single(); // the daemon: the init's only child
            ProcFs.Kill(daemonPid, 9);
            Assert.Equal(128 + 9, await daemon.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }
        finally
        {
            if (init > 0) ProcFs.Kill(init, 9);
        }
    }

    /// <summary>The namespace's PID 1 seen from here: the descendant whose innermost pid (NSpid) is 1.</summary>
    private static async Task<int> NamespaceInitAsync(DaemonUnderTest daemon)
    {
        var init = 0;
        await daemon.WaitUntilAsync(() => (init = Namespace(daemon.Pid).FirstOrDefault(IsNamespaceInit)) > 0, "the namespace's PID 1");
        return init;
    }

    private static bool IsNamespaceInit(int pid)
    {
        try
        {
            var nspid = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("NSpid:", StringComparison.Ordinal));
            return nspid is not null && nspid.Split('\t', StringSplitOptions.RemoveEmptyEntries) is [_, _, "1"];
        }
        catch (IOException) { return false; }
    }

    private static List<string> ExitedLines(DaemonUnderTest daemon) =>
        DaemonUnderTest.ReadOrEmpty(daemon.LogfilePath).Split('\n').Where(l => l.Contains(" exited: ", StringComparison.Ordinal)).ToList();

    /// <summary>A process and every process below it, zombies included (they stay in their parent's children list).</summary>
    private static List<int> Namespace(int init)
    {
        var all = new List<int> { init };
        for (var i = 0; i < all.Count; i++)
            all.AddRange(Children(all[i]));
        return all;
    }

    private static IEnumerable<int> Children(int pid)
    {
        try
        {
            return Directory.GetDirectories($"/proc/{pid}/task")
                .SelectMany(task => File.ReadAllText(Path.Combine(task, "children")).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(p => int.Parse(p, CultureInfo.InvariantCulture))
                .ToList();
        }
        catch (IOException) { return []; } // gone, or a thread ended while we read
    }

    private static string Comm(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/comm").Trim(); }
        catch (IOException) { return ""; }
    }

    private static string Describe(int init) =>
        string.Join(", ", Namespace(init).Select(p => $"{p} {Comm(p)} {ProcFs.State(p)}"));
}
