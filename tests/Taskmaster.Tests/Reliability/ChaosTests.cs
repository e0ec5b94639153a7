// Chaos against a real taskmasterd (issue "Reliability", item 3; the soak of issue 22): 100 programs (long-running
// line writers, programs exiting at random after 0-2 s with autorestart, programs with a grandchild, line writers that
// the config file gains and loses while it runs, line writers with readiness and liveness checks, dependents, and an
// event listener), random SIGKILLs to children and grandchildren, random stop/start/restart/update from
// ControlClients, XML-RPC calls, supervisorctl and taskmasterctl, and SIGHUP storms, for TASKMASTER_SOAK_SECONDS
// (default 60). Then: the daemon's view and /proc agree, no zombie children, fds and RSS back near the post-warm-up
// figures, and every numbered line every child wrote reached its log without a gap.
//
// Knobs (tests/soak sets them): TASKMASTER_SOAK_SECONDS, TASKMASTER_SOAK_KILL_MS ("min-max" between two SIGKILLs,
// default 10-60), TASKMASTER_SOAK_CLIENTS (JSON clients, default 4), TASKMASTER_SOAK_DAEMON and TASKMASTER_SOAK_CTL
// (the NativeAOT taskmasterd and taskmasterctl to run instead of the test build's).
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Taskmaster.Control;
using Taskmaster.Tests.EndToEnd;
using Xunit.Abstractions;

namespace Taskmaster.Tests.Reliability;

// Alone, after the parallel tests: its fd and RSS checks and its kill rate must not compete with other suites.
[Collection(Taskmaster.Tests.Supervision.RealProcess.RealProcessCollection.Name)]
public sealed class ChaosTests(ITestOutputHelper output)
{
    private const int LinePrograms = 36, FlakyPrograms = 36, GrandchildPrograms = 10, ComingAndGoingPrograms = 10,
        ProbedPrograms = 4, DependentPrograms = 3;

    private const string Listener = "listener";

    /// <summary>The programs of the full config; the `extra_` ones are in the file only some of the time.</summary>
    private static readonly string[] Names =
    [
        .. Enumerable.Range(0, LinePrograms).Select(i => $"lines_{i:00}"),
        .. Enumerable.Range(0, FlakyPrograms).Select(i => $"flaky_{i:00}"),
        .. Enumerable.Range(0, GrandchildPrograms).Select(i => $"gc_{i:00}"),
        .. Enumerable.Range(0, ComingAndGoingPrograms).Select(i => $"extra_{i:00}"),
        .. Enumerable.Range(0, ProbedPrograms).Select(i => $"probe_{i:00}"),
        .. Enumerable.Range(0, DependentPrograms).Select(i => $"dep_{i:00}"),
        Listener,
    ];

    /// <summary>The programs that write numbered lines to `{name}.log` (all but the listener, whose stdout is its protocol).</summary>
    private static IEnumerable<string> LineWriters => Names.Where(n => n != Listener);

    private static bool IsExtra(string name) => name.StartsWith("extra_", StringComparison.Ordinal);

    internal static bool IsDependent(string name) => name.StartsWith("dep_", StringComparison.Ordinal);

    private static string Config(bool withExtras = true)
    {
        var sb = new StringBuilder();
        foreach (var name in LineWriters.Where(n => withExtras || !IsExtra(n)))
        {
            var kind = name.Split('_')[0];
            var script = kind switch { "flaky" => "chaos_flaky.sh", "gc" => "chaos_grandchild.sh", _ => "chaos_lines.sh" };
            var index = int.Parse(name.Split('_')[1], CultureInfo.InvariantCulture);
            // probe_*: ready once a line is out, alive while lines keep coming (a log check) or while a command says
            // so; dep_*: each waits for a line writer (running) or a probed program (healthy).
            var extra = kind switch
            {
                "probe" => index % 2 == 0
                    ? "readiness_check_script = log:^probe_\nliveness_check_script = log:probe_\nliveness_check_initial_delay = 2\nliveness_check_period = 2\n"
                    : "readiness_check_script = /bin/true\nreadiness_check_period = 200ms\nreadiness_check_timeout = 20\nliveness_check_script = /bin/true\nliveness_check_initial_delay = 1\nliveness_check_period = 1\nliveness_check_timeout = 20\n",
                "dep" => index % 2 == 0 ? $"depends_on = lines_{index:00}\n" : $"depends_on = probe_{index:00}:healthy\n",
                _ => "",
            };
            sb.Append(CultureInfo.InvariantCulture, $"""
                [program:{name}]
                command = {"{fixtures}"}/{script} {name} {"{dir}"}
                autorestart = true
                startsecs = 0
                startretries = 1000000
                stopwaitsecs = 3
                stdout_logfile = {"{dir}"}/{name}.log
                stdout_logfile_maxbytes = 0
                stderr_logfile = NONE
                {extra}

                """);
        }
        // A listener written with supervisor's childutils: every state change of the 99 others reaches it.
        sb.Append(CultureInfo.InvariantCulture, $"""
            [eventlistener:{Listener}]
            command = /usr/bin/python3 {"{fixtures}"}/record_events.py {"{dir}"}/events.log
            events = PROCESS_STATE
            buffer_size = 1000
            autorestart = true
            startsecs = 0
            startretries = 1000000
            stderr_logfile = NONE


            """);
        return sb.ToString();
    }

    private static (int Min, int Max) KillInterval()
    {
        var parts = (Environment.GetEnvironmentVariable("TASKMASTER_SOAK_KILL_MS") ?? "").Split('-');
        return parts.Length == 2 && int.TryParse(parts[0], out var min) && int.TryParse(parts[1], out var max) && min >= 0 && max > min
            ? (min, max) : (10, 60);
    }

    [Fact]
    public async Task RandomKillsAndCommandsThroughEveryDoor_LeaveTheDaemonConsistent_AndLoseNoLine()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_SOAK_SECONDS"), out var s) ? s : 60;
        var aot = Environment.GetEnvironmentVariable("TASKMASTER_SOAK_DAEMON");
        await using var daemon = DaemonUnderTest.Create(Config());
        if (!string.IsNullOrEmpty(aot))
            await daemon.StartWithAsync("env", ["--default-signal=INT,QUIT", aot, "-n", "-c", daemon.ConfigPath]);
        else
        {
            // Users run the NativeAOT daemon, which never compiles code at run time. Under the JIT, tiered compilation
            // keeps re-compiling hot methods for minutes, and that code's memory would read as growth of the RSS.
            daemon.Launcher = ["env", "DOTNET_TieredCompilation=0"];
            await daemon.StartAsync();
        }
        var address = new ServerAddress("unix://" + daemon.SocketPath, daemon.SocketPath, new Uri("http://localhost/"));
        using var observer = new ControlClient(address, timeout: ChaosDoors.RequestDeadline);

        await ReliabilityTools.WaitUntilAsync(() => Running(observer).Result.Count >= LinePrograms + GrandchildPrograms + ComingAndGoingPrograms, "all long-running programs up", ChaosDoors.RequestDeadline);

        // Warm-up: a first, shorter round of chaos (the runtime grows its heap and pools to the load), then the
        // same quiet state as at the end, where the baseline resources are measured.
        var counts = new ChaosCounts();
        await RunChaosAsync(daemon, address, observer, TimeSpan.FromSeconds(Math.Min(15, seconds / 3.0)), counts, seed: 0);
        await QuiesceAndCompareAsync(daemon, observer);
        var (fdsBefore, rssBefore) = (FdCount(daemon.Pid), RssKb(daemon.Pid));
        await observer.StartAsync([.. Names.Where(n => n.StartsWith("flaky_", StringComparison.Ordinal))], wait: false);

        counts = new ChaosCounts();
        var rssSeries = new ConcurrentQueue<long>();
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                rssSeries.Enqueue(RssKb(daemon.Pid) / 1024);
                try { await Task.Delay(TimeSpan.FromSeconds(Math.Max(1, seconds / 10)), sampling.Token); } catch (OperationCanceledException) { }
            }
        });
        await RunChaosAsync(daemon, address, observer, TimeSpan.FromSeconds(seconds), counts, seed: 100);
        await sampling.CancelAsync();
        await sampler;
        await QuiesceAndCompareAsync(daemon, observer);

        // Resources back near the baseline (the runtime may need a moment to trim).
        long fdsAfter = 0, rssAfter = 0;
        try
        {
            await ReliabilityTools.WaitUntilAsync(() =>
            {
                (fdsAfter, rssAfter) = (FdCount(daemon.Pid), RssKb(daemon.Pid));
                return fdsAfter <= fdsBefore * 1.1 && rssAfter <= rssBefore * 1.1;
            }, "fds and RSS near the baseline", TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            Assert.Fail($"fds {fdsBefore} → {fdsAfter}, RSS {rssBefore} kB → {rssAfter} kB; RSS MB during the run: {string.Join(" ", rssSeries)}");
        }

        // Stop all: nothing of ours left, no zombie children of the daemon.
        await observer.StopAsync(["all"]);
        await ReliabilityTools.WaitUntilAsync(() => ReliabilityTools.Tagged(daemon.Dir).All(p => p == daemon.Pid), "no program process left after stop all");
        await ReliabilityTools.WaitUntilAsync(() => !ProcFs.AllPids().Any(p => ProcFs.ParentPid(p) == daemon.Pid && ProcFs.State(p) == 'Z'),
            "no zombie children of the daemon");
        var spawns = CountOf(daemon.Output, "spawned: ");

        // Clean shutdown so every log is flushed and closed, then every line of every pid, no gap.
        daemon.Signal(15);
        Assert.Equal(0, await daemon.WaitForExitAsync());
        var (lines, pids) = CheckLogs(daemon.Dir);
        var eventsLog = Path.Combine(daemon.Dir, "events.log");
        var events = File.Exists(eventsLog) ? File.ReadLines(eventsLog).Count() : 0;
        Assert.True(events > 0, "the listener was sent no event");

        var c = counts;
        var summary = $"chaos {DateTime.UtcNow:yyyy-MM-dd HH:mm}Z: {(string.IsNullOrEmpty(aot) ? "JIT" : "NativeAOT")} daemon, {seconds} s, {Names.Length} programs, " +
                      $"{c.Kills} SIGKILLs, {c.Commands} JSON commands ({c.Refused} refused per name, {c.Updates} updates), " +
                      $"{c.XmlRpcCalls} XML-RPC calls ({c.XmlRpcFaults} faults), {c.Supervisorctl} supervisorctl and {c.Taskmasterctl} taskmasterctl runs, " +
                      $"{c.Hups} SIGHUPs, {spawns} spawns, {pids} child pids, {lines} lines checked, {events} events to the listener; " +
                      $"fds {fdsBefore} → {fdsAfter}, RSS {rssBefore} → {rssAfter} kB (MB during the run: {string.Join(" ", rssSeries)})";
        output.WriteLine(summary);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "taskmaster-chaos-figures.txt"), summary + "\n");
        Assert.True(c.Kills > 10 && c.Commands > 50 && c.XmlRpcCalls > 10 && c.Taskmasterctl > 0 && c.Hups > 0, summary);
    }

    /// <summary>
    /// TASKMASTER_SOAK_CLIENTS (4) JSON clients sending random stop/start/restart/update, the other doors (ChaosDoors),
    /// a killer sending SIGKILL to random children and grandchildren, and an editor that adds or removes the `extra_`
    /// programs in the config file, so the updates and SIGHUPs have something to apply.
    /// </summary>
    private static async Task RunChaosAsync(DaemonUnderTest daemon, ServerAddress address, ControlClient observer, TimeSpan duration, ChaosCounts counts, int seed)
    {
        var end = DateTime.UtcNow + duration;
        var jsonClients = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_SOAK_CLIENTS"), out var n) && n > 0 ? n : 4;
        var clients = Enumerable.Range(0, jsonClients).Select(i => Task.Run(async () =>
        {
            var random = new Random(seed + i);
            using var client = new ControlClient(address, timeout: ChaosDoors.RequestDeadline);
            while (DateTime.UtcNow < end)
            {
                var names = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Names[random.Next(Names.Length)]).Distinct().ToArray();
                // A dependent's start waits, by design, as long as its dependency is not up (or not healthy), and the
                // chaos may keep it down: dependents are started without waiting.
                var (action, wait) = (random.Next(10), random.Next(2) == 0 && !names.Any(IsDependent));
                int refusals;
                try
                {
                    refusals = action switch
                    {
                        < 3 => Refusals(await client.StopAsync(names, wait)),
                        < 6 => Refusals(await client.StartAsync(names, wait)),
                        < 9 => Refusals(await client.RestartAsync(names, wait)),
                        _ => Refusals(await client.UpdateAsync([]), counts),
                    };
                }
                catch (TaskCanceledException e)
                {
                    var states = (await observer.GetProcessesAsync()).Where(p => names.Contains(p.Name)).Select(p => $"{p.Name}={p.State}/{p.Pid}");
                    var log = daemon.Output;
                    var dump = await ChaosDoors.DiagnoseAsync(daemon);
                    throw new TimeoutException($"{(action < 3 ? "stop" : action < 6 ? "start" : action < 9 ? "restart" : "update")} {string.Join(",", names)} wait={wait} got no answer ({dump}); " +
                        $"now {string.Join(" ", states)}; daemon output tail:\n{string.Join("\n", log.Split('\n').Where(l => names.Any(n => l.Contains(n, StringComparison.Ordinal))).TakeLast(40))}", e);
                }
                Interlocked.Increment(ref counts.Commands);
                Interlocked.Add(ref counts.Refused, refusals);
                await Task.Delay(random.Next(0, 100));
            }
        })).ToList();
        var editor = Task.Run(async () =>
        {
            var random = new Random(seed + 11);
            while (DateTime.UtcNow < end)
            {
                daemon.WriteConfig(Config(withExtras: random.Next(2) == 0));
                await Task.Delay(random.Next(300, 1500));
            }
        });
        var (minGap, maxGap) = KillInterval();
        var killer = Task.Run(async () =>
        {
            var random = new Random(seed + 7);
            // The candidates are refreshed every 250 ms rather than before each kill, so the kill rate does not wait on
            // the API; a pid is checked to still be one of ours (its command line names the test dir) just before it
            // is signalled, so a recycled pid of another process is never killed.
            List<int> children = [], grandchildren = [];
            var refreshed = DateTime.MinValue;
            while (DateTime.UtcNow < end)
            {
                if (DateTime.UtcNow - refreshed > TimeSpan.FromMilliseconds(250))
                {
                    children = [.. (await Running(observer)).Values];
                    grandchildren = [.. ReliabilityTools.Tagged(daemon.Dir).Where(p => ProcFs.CommandLine(p).Contains("--grandchild", StringComparison.Ordinal))];
                    refreshed = DateTime.UtcNow;
                }
                var candidates = random.Next(3) == 0 ? grandchildren : children;
                if (candidates.Count > 0)
                {
                    var pid = candidates[random.Next(candidates.Count)];
                    if (ProcFs.CommandLine(pid).Contains(daemon.Dir, StringComparison.Ordinal) && ProcFs.Kill(pid, 9))
                        Interlocked.Increment(ref counts.Kills);
                }
                await Task.Delay(random.Next(minGap, maxGap));
            }
        });
        Task[] doors =
        [
            ChaosDoors.XmlRpcClientAsync(daemon, Names, end, counts, seed + 21),
            ChaosDoors.XmlRpcClientAsync(daemon, Names, end, counts, seed + 22),
            ChaosDoors.SupervisorctlAsync(daemon, Names, end, counts, seed + 23),
            ChaosDoors.TaskmasterctlAsync(daemon, Names, end, counts, seed + 24),
            ChaosDoors.HupStormsAsync(daemon, end, counts, seed + 25),
        ];
        await Task.WhenAll([.. clients, killer, editor, .. doors]);
    }

    private static int Refusals(ProcessCommandResponse response) => response.Results.Count(r => !r.Ok);

    private static int Refusals(GroupCommandResponse response, ChaosCounts counts)
    {
        Interlocked.Increment(ref counts.Updates);
        return response.Results.Count(r => !r.Ok);
    }

    /// <summary>
    /// Puts the full config back (and applies it), stops the programs that exit on their own, brings the others up,
    /// and waits until the daemon and /proc agree.
    /// </summary>
    private static async Task QuiesceAndCompareAsync(DaemonUnderTest daemon, ControlClient observer)
    {
        daemon.WriteConfig(Config(withExtras: true));
        var update = await observer.UpdateAsync([]);
        Assert.All(update.Results, r => Assert.True(r.Ok, $"update {r.Group}: {r.Message}"));
        await observer.StopAsync([.. Names.Where(n => n.StartsWith("flaky_", StringComparison.Ordinal))]);
        await observer.StartAsync([.. Names.Where(n => !n.StartsWith("flaky_", StringComparison.Ordinal))], wait: true);
        await ReliabilityTools.WaitUntilAsync(() => ViewsAgree(daemon, observer), "the daemon's pids and /proc agree", TimeSpan.FromSeconds(30));
    }

    private static async Task<Dictionary<string, int>> Running(ControlClient client) =>
        (await client.GetProcessesAsync()).Where(p => p.Pid is > 0).ToDictionary(p => p.Name, p => p.Pid!.Value);

    /// <summary>
    /// Every live process of ours belongs to the group of a pid the daemon reports, and every reported pid is alive.
    /// Checked between two identical API snapshots so a restart in between cannot fool it.
    /// </summary>
    private static bool ViewsAgree(DaemonUnderTest daemon, ControlClient client)
    {
        var before = Running(client).Result.Values.ToHashSet();
        var live = ReliabilityTools.Tagged(daemon.Dir).Where(p => p != daemon.Pid).ToList();
        var after = Running(client).Result.Values.ToHashSet();
        if (!before.SetEquals(after)) return false;
        var unknown = live.Where(p => ProcFs.ProcessGroup(p) is not { } g || !before.Contains(g)).ToList();
        var missing = before.Where(p => !live.Contains(p)).ToList();
        return unknown.Count == 0 && missing.Count == 0;
    }

    /// <summary>For each (instance, pid): the numbers 1..max all present. Returns the lines and pids checked.</summary>
    private static (long Lines, int Pids) CheckLogs(string dir)
    {
        long lines = 0;
        var seen = new Dictionary<(string, int), HashSet<long>>();
        foreach (var name in LineWriters)
        {
            var path = Path.Combine(dir, name + ".log");
            if (!File.Exists(path)) continue;
            foreach (var line in File.ReadLines(path))
            {
                var f = line.Split(' ');
                Assert.True(f.Length == 3 && f[0] == name, $"{name}: malformed log line '{line}'");
                var key = (name, int.Parse(f[1], CultureInfo.InvariantCulture));
                if (!seen.TryGetValue(key, out var numbers)) seen[key] = numbers = [];
                numbers.Add(long.Parse(f[2], CultureInfo.InvariantCulture));
                lines++;
            }
        }
        foreach (var ((name, pid), numbers) in seen)
        {
            var max = numbers.Max();
            Assert.True(numbers.Count == max && numbers.Min() == 1,
                $"{name} pid {pid}: {numbers.Count} distinct lines up to {max}; missing {string.Join(",", LongRange(1, max).Where(n => !numbers.Contains(n)).Take(20))}");
        }
        return (lines, seen.Count);
    }

    private static IEnumerable<long> LongRange(long from, long to) { for (var i = from; i <= to; i++) yield return i; }

    private static int CountOf(string text, string what)
    {
        var count = 0;
        for (var i = text.IndexOf(what, StringComparison.Ordinal); i >= 0; i = text.IndexOf(what, i + 1, StringComparison.Ordinal)) count++;
        return count;
    }

    private static long FdCount(int pid) => Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    private static long RssKb(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
}
