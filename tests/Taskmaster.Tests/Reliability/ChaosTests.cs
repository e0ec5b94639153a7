// Chaos against a real taskmasterd (issue "Reliability", item 3): 100 programs (long-running line writers,
// programs exiting at random after 0-2 s with autorestart, programs with a grandchild, and line writers that the
// config file gains and loses while it runs), random SIGKILLs to children and grandchildren, and random
// stop/start/restart/update from 4 concurrent ControlClients, for TASKMASTER_SOAK_SECONDS (default 60). Then: the
// daemon's view and /proc agree, no zombie children, fds and RSS back near the post-warm-up figures, and every
// numbered line every child wrote reached its log without a gap.
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
    private const int LinePrograms = 40, FlakyPrograms = 40, GrandchildPrograms = 10, ComingAndGoingPrograms = 10;

    /// <summary>The programs of the full config; the `extra_` ones are in the file only some of the time.</summary>
    private static readonly string[] Names =
    [
        .. Enumerable.Range(0, LinePrograms).Select(i => $"lines_{i:00}"),
        .. Enumerable.Range(0, FlakyPrograms).Select(i => $"flaky_{i:00}"),
        .. Enumerable.Range(0, GrandchildPrograms).Select(i => $"gc_{i:00}"),
        .. Enumerable.Range(0, ComingAndGoingPrograms).Select(i => $"extra_{i:00}"),
    ];

    private static bool IsExtra(string name) => name.StartsWith("extra_", StringComparison.Ordinal);

    private static string Config(bool withExtras = true)
    {
        var sb = new StringBuilder();
        foreach (var name in Names.Where(n => withExtras || !IsExtra(n)))
        {
            var script = name.Split('_')[0] switch { "lines" or "extra" => "chaos_lines.sh", "flaky" => "chaos_flaky.sh", _ => "chaos_grandchild.sh" };
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


                """);
        }
        return sb.ToString();
    }

    [Fact]
    public async Task RandomKillsAndCommands_FromFourClients_LeaveTheDaemonConsistent_AndLoseNoLine()
    {
        var seconds = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_SOAK_SECONDS"), out var s) ? s : 60;
        await using var daemon = DaemonUnderTest.Create(Config());
        // Users run the NativeAOT daemon, which never compiles code at run time. Under the JIT, tiered compilation
        // keeps re-compiling hot methods for minutes, and that code's memory would read as growth of the RSS.
        daemon.Launcher = ["env", "DOTNET_TieredCompilation=0"];
        await daemon.StartAsync();
        var address = new ServerAddress("unix://" + daemon.SocketPath, daemon.SocketPath, new Uri("http://localhost/"));
        using var observer = new ControlClient(address, timeout: TimeSpan.FromSeconds(60));

        await ReliabilityTools.WaitUntilAsync(() => Running(observer).Result.Count >= LinePrograms + GrandchildPrograms + ComingAndGoingPrograms, "all long-running programs up", TimeSpan.FromSeconds(60));

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
        var (kills, commands, refused, updates) = (counts.Kills, counts.Commands, counts.Refused, counts.Updates);
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

        var summary = $"chaos: {seconds} s, {Names.Length} programs, {kills} SIGKILLs, {commands} commands ({refused} refused per name, {updates} updates), " +
                      $"{spawns} spawns, {pids} child pids, {lines} lines checked; fds {fdsBefore} → {fdsAfter}, RSS {rssBefore} → {rssAfter} kB (MB during the run: {string.Join(" ", rssSeries)})";
        output.WriteLine(summary);
        File.AppendAllText(Path.Combine(Path.GetTempPath(), "taskmaster-chaos-figures.txt"), summary + "\n");
        Assert.True(kills > 10 && commands > 50, summary);
    }

    private sealed class ChaosCounts { public long Kills, Commands, Refused, Updates; }

    /// <summary>
    /// 4 clients sending random stop/start/restart/update, a killer sending SIGKILL to random children and
    /// grandchildren, and an editor that adds or removes the `extra_` programs in the config file, so the updates
    /// have something to apply.
    /// </summary>
    private static async Task RunChaosAsync(DaemonUnderTest daemon, ServerAddress address, ControlClient observer, TimeSpan duration, ChaosCounts counts, int seed)
    {
        var end = DateTime.UtcNow + duration;
        var clients = Enumerable.Range(0, 4).Select(i => Task.Run(async () =>
        {
            var random = new Random(seed + i);
            using var client = new ControlClient(address, timeout: TimeSpan.FromSeconds(60));
            while (DateTime.UtcNow < end)
            {
                var names = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Names[random.Next(Names.Length)]).Distinct().ToArray();
                var (action, wait) = (random.Next(10), random.Next(2) == 0);
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
                    throw new TimeoutException($"{(action < 3 ? "stop" : action < 6 ? "start" : action < 9 ? "restart" : "update")} {string.Join(",", names)} wait={wait} got no answer; " +
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
        var killer = Task.Run(async () =>
        {
            var random = new Random(seed + 7);
            while (DateTime.UtcNow < end)
            {
                var candidates = random.Next(3) == 0
                    ? ReliabilityTools.Tagged(daemon.Dir).Where(p => ProcFs.CommandLine(p).Contains("--grandchild", StringComparison.Ordinal)).ToList()
                    : (await Running(observer)).Values.ToList();
                if (candidates.Count > 0 && ProcFs.Kill(candidates[random.Next(candidates.Count)], 9))
                    Interlocked.Increment(ref counts.Kills);
                await Task.Delay(random.Next(10, 60));
            }
        });
        await Task.WhenAll([.. clients, killer, editor]);
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
        foreach (var name in Names)
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
