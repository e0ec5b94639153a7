using System.Text;

namespace Taskmaster.Tests.Control.XmlRpc;

/// <summary>
/// Mutated requests against /RPC2 over the real socket: every one gets a fault or an HTTP error (never a 500, a
/// hang or a dropped connection), the door keeps answering well-formed calls, and the server's memory stays flat.
/// TASKMASTER_FUZZ_REQUESTS sets how many (default 100,000); TASKMASTER_FUZZ_SEED replays a run.
/// </summary>
public sealed class XmlRpcFuzzTests
{
    private static readonly string[] Seeds =
    [
        XmlRpcEndpointTests.Call("supervisor.getVersion"),
        XmlRpcEndpointTests.Call("supervisor.getAllProcessInfo"),
        XmlRpcEndpointTests.Call("supervisor.getProcessInfo", "<string>web</string>"),
        XmlRpcEndpointTests.Call("supervisor.startProcess", "<string>worker:*</string>", "<boolean>1</boolean>"),
        XmlRpcEndpointTests.Call("supervisor.stopProcessGroup", "<string>worker</string>", "<boolean>0</boolean>"),
        XmlRpcEndpointTests.Call("supervisor.signalProcess", "<string>web</string>", "<string>HUP</string>"),
        XmlRpcEndpointTests.Call("supervisor.readProcessStdoutLog", "<string>web</string>", "<int>-100</int>", "<int>0</int>"),
        XmlRpcEndpointTests.Call("supervisor.tailProcessStderrLog", "<string>web</string>", "<int>0</int>", "<int>50</int>"),
        XmlRpcEndpointTests.Call("supervisor.reloadConfig"),
        XmlRpcEndpointTests.Call("supervisor.addProcessGroup", "<string>newprog</string>"),
        XmlRpcEndpointTests.Call("supervisor.sendProcessStdin", "<string>web</string>", "<string>hello\n</string>"),
        XmlRpcEndpointTests.Call("system.methodSignature", "<string>supervisor.startProcess</string>"),
        XmlRpcEndpointTests.Call("system.multicall", "<array><data><value><struct><member><name>methodName</name><value><string>supervisor.getPID</string></value></member>"
            + "<member><name>params</name><value><array><data><value><i4>1</i4></value></data></array></value></member></struct></value></data></array>"),
        XmlRpcEndpointTests.Call("supervisor.getState", "<struct><member><name>a</name><value><double>1.5</double></value></member></struct>",
            "<dateTime.iso8601>20260101T00:00:00</dateTime.iso8601>", "<base64>aGVsbG8=</base64>", "<nil/>"),
    ];

    private static readonly string[] Fragments =
    [
        "<value>", "</value>", "<array><data>", "</data></array>", "<struct>", "<member>", "<name>", "</name>", "<int>",
        "</int>", "<string>", "</string>", "<!DOCTYPE x [<!ENTITY e 'e'>]>", "&e;", "&amp;", "&#0;", "&#xD800;", "<![CDATA[",
        "]]>", "<?pi x?>", "<!-- c -->", "\u00e9", "\uFFFF", "\0", "<params>", "</methodCall>", "<methodName>", "system.multicall",
        "supervisor.shutdown", "99999999999999999999", "-", "<i8>", "<boolean>2</boolean>", "xmlns:x='u'", "<x:int>",
    ];

    private static byte[] Mutate(Random random, byte[] seed)
    {
        var data = new List<byte>(seed);
        var steps = random.Next(1, 5);
        for (var s = 0; s < steps && data.Count > 0; s++)
        {
            var at = random.Next(data.Count);
            switch (random.Next(6))
            {
                case 0: data[at] = (byte)random.Next(256); break;                                      // flip a byte
                case 1: data.RemoveRange(at, Math.Min(random.Next(1, 20), data.Count - at)); break;     // cut
                case 2: data.InsertRange(at, Encoding.UTF8.GetBytes(Fragments[random.Next(Fragments.Length)])); break;
                case 3: data.RemoveRange(at, data.Count - at); break;                                  // truncate
                case 4:                                                                                // repeat a slice
                    var length = Math.Min(random.Next(1, 200), data.Count - at);
                    data.InsertRange(at, data.GetRange(at, length));
                    break;
                default: data.Insert(at, (byte)"<>&/\"'=:"[random.Next(8)]); break;
            }
        }
        return [.. data];
    }

    [Fact]
    public async Task MutatedRequests_AllAnswered_NoInternalError_DoorKeepsServing_MemoryFlat()
    {
        var total = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_REQUESTS"), out var n) ? n : 100_000;
        var seed = int.TryParse(Environment.GetEnvironmentVariable("TASKMASTER_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        await using var host = await ControlHost.StartAsync();
        var seeds = Seeds.Select(Encoding.UTF8.GetBytes).ToArray();
        const int connections = 4;
        const int pipelined = 32; // requests written before their answers are read: the socket, not the round trip, sets the pace
        var statuses = new int[600];
        long baseline = 0;
        var done = 0;

        async Task RunAsync(int worker)
        {
            var random = new Random(seed + worker);
            await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            var batch = new List<byte[]>(pipelined);
            while (Interlocked.Add(ref done, pipelined) <= total + pipelined - 1)
            {
                batch.Clear();
                var wire = new MemoryStream();
                for (var i = 0; i < pipelined; i++)
                {
                    var body = Mutate(random, seeds[random.Next(seeds.Length)]);
                    batch.Add(body);
                    wire.Write(Request(body));
                }
                await connection.SendAsync(wire.ToArray(), cts.Token);
                foreach (var body in batch)
                {
                    var response = await connection.ReadResponseAsync(cts.Token)
                        ?? throw new Xunit.Sdk.XunitException($"seed {seed}: connection dropped after {Encoding.UTF8.GetString(body)}");
                    Interlocked.Increment(ref statuses[response.Status]);
                    if (response.Status is not (200 or 400))
                        throw new Xunit.Sdk.XunitException($"seed {seed}: {response.StatusLine} for {Encoding.UTF8.GetString(body)}");
                }
                if (Volatile.Read(ref baseline) == 0 && Volatile.Read(ref done) >= total / 10)
                {
                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                    Interlocked.CompareExchange(ref baseline, GC.GetTotalMemory(true), 0);
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, connections).Select(RunAsync));

        Assert.True(statuses[200] > 0 && statuses[400] > 0, $"seed {seed}: 200s {statuses[200]}, 400s {statuses[400]}");
        var after = await PostAfterAsync(host);
        Assert.Contains("<string>3.0</string>", after);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        var grown = GC.GetTotalMemory(true) - baseline;
        Assert.True(grown < 32L << 20, $"seed {seed}: managed heap grew by {grown >> 20} MB over the run");
    }

    private static byte[] Request(byte[] body) =>
        [.. Encoding.ASCII.GetBytes($"POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\nContent-Length: {body.Length}\r\n\r\n"), .. body];

    private static async Task<string> PostAfterAsync(ControlHost host)
    {
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        return (await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(XmlRpcEndpointTests.Call("supervisor.getVersion")))).Text;
    }
}
