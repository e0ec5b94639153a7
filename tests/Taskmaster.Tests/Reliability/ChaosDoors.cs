// The soak's other clients, beside the JSON API's ControlClients in ChaosTests: raw XML-RPC calls on /RPC2, Debian's
// supervisorctl and taskmasterctl as separate processes, and SIGHUP storms. Each one loops until the round's end and
// fails the soak when the daemon does not answer properly: an XML-RPC call without a 200 methodResponse, a client
// that cannot reach the daemon, a Python traceback, or no answer within a minute. Refusals (not running, already
// started, spawn error) are normal under chaos and only counted.
using System.Diagnostics;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.Control.XmlRpc;
using Taskmaster.Tests.EndToEnd;

namespace Taskmaster.Tests.Reliability;

internal sealed class ChaosCounts
{
    public long Kills, Commands, Refused, Updates, XmlRpcCalls, XmlRpcFaults, Supervisorctl, Taskmasterctl, Hups;
}

internal static class ChaosDoors
{
    /// <summary>How long any one request may go unanswered. Generous: a SIGHUP storm's reloads and a machine shared with
    /// builds (load averages near 100 were seen) stretch single answers to tens of seconds without anything being stuck;
    /// a request that is really lost still fails the soak.</summary>
    public static readonly TimeSpan RequestDeadline = TimeSpan.FromSeconds(180);

    /// <summary>Calls supervisor.* methods on /RPC2 over one kept-alive connection, reopened when the server closes it.</summary>
    public static async Task XmlRpcClientAsync(DaemonUnderTest daemon, IReadOnlyList<string> names, DateTime end, ChaosCounts counts, int seed)
    {
        var random = new Random(seed);
        RawHttpConnection? connection = null;
        try
        {
            while (DateTime.UtcNow < end)
            {
                var picked = names[random.Next(names.Count)];
                var name = $"<string>{picked}</string>";
                // A dependent's start waits as long as its dependency is not up, which the chaos may make forever.
                var wait = random.Next(2) == 0 && !ChaosTests.IsDependent(picked) ? "<boolean>1</boolean>" : "<boolean>0</boolean>";
                var call = random.Next(6) switch
                {
                    0 => XmlRpcEndpointTests.Call("supervisor.startProcess", name, wait),
                    1 => XmlRpcEndpointTests.Call("supervisor.stopProcess", name, wait),
                    2 => XmlRpcEndpointTests.Call("supervisor.getProcessInfo", name),
                    3 => XmlRpcEndpointTests.Call("supervisor.getAllProcessInfo"),
                    4 => XmlRpcEndpointTests.Call("supervisor.tailProcessStdoutLog", name, "<int>0</int>", "<int>200</int>"),
                    _ => XmlRpcEndpointTests.Call("supervisor.getState"),
                };
                using var cts = new CancellationTokenSource(RequestDeadline);
                connection ??= await RawHttpConnection.OpenUnixAsync(daemon.SocketPath);
                RawHttpResponse? response;
                try
                {
                    await connection.SendAsync(RawHttpConnection.XmlRpcRequest(call), cts.Token);
                    response = await connection.ReadResponseAsync(cts.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"XML-RPC call got no answer within {RequestDeadline.TotalSeconds} s ({await DiagnoseAsync(daemon)}):\n{call}");
                }
                if (response is null)
                {
                    // A kept-alive connection may be closed between requests; the request is sent again on a new one.
                    await connection.DisposeAsync();
                    connection = null;
                    continue;
                }
                var text = response.Text;
                Assert.True(response.Status == 200 && text.Contains("<methodResponse>", StringComparison.Ordinal),
                    $"XML-RPC {response.StatusLine}: {text}\nfor {call}");
                Interlocked.Increment(ref counts.XmlRpcCalls);
                if (text.Contains("<fault>", StringComparison.Ordinal)) Interlocked.Increment(ref counts.XmlRpcFaults);
                await Task.Delay(random.Next(0, 50));
            }
        }
        finally
        {
            if (connection is not null) await connection.DisposeAsync();
        }
    }

    /// <summary>Debian's supervisorctl (Python, through the XML-RPC door), one process per command.</summary>
    public static async Task SupervisorctlAsync(DaemonUnderTest daemon, IReadOnlyList<string> allNames, DateTime end, ChaosCounts counts, int seed)
    {
        if (!File.Exists("/usr/bin/supervisorctl")) return;
        var random = new Random(seed);
        // Its start and restart always wait: not for dependents (see XmlRpcClientAsync).
        var names = allNames.Where(n => !ChaosTests.IsDependent(n)).ToList();
        while (DateTime.UtcNow < end)
        {
            string[] command = random.Next(6) switch
            {
                0 => ["start", names[random.Next(names.Count)]],
                1 => ["stop", names[random.Next(names.Count)]],
                2 => ["restart", names[random.Next(names.Count)]],
                3 => ["update"],
                4 => ["pid", names[random.Next(names.Count)]],
                _ => ["status"],
            };
            var result = await RunAsync("/usr/bin/supervisorctl", ["-s", "unix://" + daemon.SocketPath, .. command]);
            var text = result.Stdout + result.Stderr;
            Assert.False(text.Contains("Traceback", StringComparison.Ordinal) || text.Contains("refused connection", StringComparison.Ordinal)
                || text.Contains("no such file", StringComparison.Ordinal), $"supervisorctl {string.Join(' ', command)}: {result}");
            Interlocked.Increment(ref counts.Supervisorctl);
            await Task.Delay(random.Next(100, 500));
        }
    }

    /// <summary>taskmasterctl as users run it (the NativeAOT binary given by TASKMASTER_SOAK_CTL, else the test build).</summary>
    public static async Task TaskmasterctlAsync(DaemonUnderTest daemon, IReadOnlyList<string> allNames, DateTime end, ChaosCounts counts, int seed)
    {
        var random = new Random(seed);
        var names = allNames.Where(n => !ChaosTests.IsDependent(n)).ToList(); // as supervisorctl's, its start waits
        var ctl = Environment.GetEnvironmentVariable("TASKMASTER_SOAK_CTL");
        while (DateTime.UtcNow < end)
        {
            string[] command = random.Next(7) switch
            {
                0 => ["start", names[random.Next(names.Count)]],
                1 => ["stop", names[random.Next(names.Count)]],
                2 => ["restart", names[random.Next(names.Count)], names[random.Next(names.Count)]],
                3 => ["update"],
                4 => ["signal", "CONT", names[random.Next(names.Count)]],
                5 => ["tail", names[random.Next(names.Count)]],
                _ => ["status"],
            };
            string[] args = ["-s", "unix://" + daemon.SocketPath, .. command];
            var result = string.IsNullOrEmpty(ctl) ? await ControlHost.RunAsync(args, timeout: RequestDeadline) : await RunAsync(ctl, args);
            // 0 ok, 1 a refusal, 3 a listed process not running, 7 not running / spawn error; 2 (bad arguments) and 4
            // (cannot reach the daemon) are failures of the daemon or of this driver.
            Assert.True(result.ExitCode is 0 or 1 or 3 or 7, $"taskmasterctl {string.Join(' ', command)}: {result}");
            Interlocked.Increment(ref counts.Taskmasterctl);
            await Task.Delay(random.Next(100, 500));
        }
    }

    /// <summary>Every few seconds, a burst of 5-20 SIGHUPs a few milliseconds apart (each one a reload like `update`).</summary>
    public static async Task HupStormsAsync(DaemonUnderTest daemon, DateTime end, ChaosCounts counts, int seed)
    {
        var random = new Random(seed);
        while (DateTime.UtcNow < end)
        {
            await Task.Delay(random.Next(2000, 8000));
            for (var i = random.Next(5, 21); i > 0; i--)
            {
                daemon.Signal(1);
                Interlocked.Increment(ref counts.Hups);
                await Task.Delay(random.Next(0, 20));
            }
        }
    }

    /// <summary>
    /// For a request that got no answer: whether the daemon still answers a fresh one (and how fast), what it says
    /// of every process, and its whole output in a file, so a stuck operation can be told from a machine too loaded.
    /// </summary>
    public static async Task<string> DiagnoseAsync(DaemonUnderTest daemon)
    {
        var dump = Path.Combine(Path.GetTempPath(), $"taskmaster-chaos-daemon-{daemon.Pid}.log");
        var started = Stopwatch.StartNew();
        string fresh;
        try
        {
            await using var connection = await RawHttpConnection.OpenUnixAsync(daemon.SocketPath);
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var response = await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(XmlRpcEndpointTests.Call("supervisor.getAllProcessInfo")), cts.Token);
            fresh = $"a fresh getAllProcessInfo answered {response.Status} in {started.ElapsedMilliseconds} ms";
            File.WriteAllText(dump + ".status.xml", response.Text);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or System.Net.Sockets.SocketException)
        {
            fresh = $"a fresh getAllProcessInfo failed after {started.ElapsedMilliseconds} ms: {e.Message}";
        }
        File.WriteAllText(dump, daemon.Output);
        return $"{fresh}; daemon output in {dump}";
    }

    private static async Task<CtlResult> RunAsync(string fileName, IReadOnlyList<string> args)
    {
        var psi = new ProcessStartInfo(fileName) { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["NO_COLOR"] = "1";
        psi.Environment["HOME"] = Path.GetTempPath();
        using var process = Process.Start(psi)!;
        try
        {
            process.StandardInput.Close();
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(RequestDeadline);
            try { await process.WaitForExitAsync(cts.Token); }
            catch (OperationCanceledException) { throw new TimeoutException($"{fileName} {string.Join(' ', args)} did not end within {RequestDeadline.TotalSeconds} s"); }
            return new CtlResult(process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
    }
}
