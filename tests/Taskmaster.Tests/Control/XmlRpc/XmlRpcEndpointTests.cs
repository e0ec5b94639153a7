using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Daemon.Control;
using Taskmaster.Supervision;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Control.XmlRpc;

/// <summary>
/// The /RPC2 door over a real socket (the control server in this process, over the scripted engine): it passes the
/// same checks as the JSON API, speaks HTTP as supervisorctl's transport expects (persistent connections, reason
/// phrases, supervisord's status codes) and answers every bad request with a fault or an HTTP error.
/// </summary>
public sealed class XmlRpcEndpointTests
{
    internal static string Call(string method, params string[] values) =>
        "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + method + "</methodName>\n<params>\n"
        + string.Concat(values.Select(v => $"<param>\n<value>{v}</value>\n</param>\n")) + "</params>\n</methodCall>\n";

    internal static string Str(string s) => $"<string>{s}</string>";

    private static async Task<RawHttpResponse> PostAsync(ControlHost host, string body, string target = "/RPC2", string? authorization = null,
        string contentType = "text/xml")
    {
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        return await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(body, target, authorization, contentType: contentType));
    }

    private static string Basic(string user, string password) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

    [Fact]
    public async Task GetVersion_AnswersThreeDotZero_AsPythonWouldWriteIt()
    {
        await using var host = await ControlHost.StartAsync();
        var response = await PostAsync(host, Call("supervisor.getVersion"));
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.Equal("text/xml", response.Header("Content-Type"));
        Assert.Equal("<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n<value><string>3.0</string></value>\n</param>\n</params>\n</methodResponse>\n",
            response.Text);
    }

    [Fact]
    public async Task Credentials_AreThoseOfTheJsonApi_ShaPasswordsIncluded()
    {
        var sha = "{SHA}" + Convert.ToHexStringLower(SHA1.HashData("s3cret"u8));
        await using var host = await ControlHost.StartAsync(o => o with { Unix = o.Unix with { Username = "admin", Password = sha } });

        var none = await PostAsync(host, Call("supervisor.getVersion"));
        Assert.Equal(401, none.Status);
        Assert.StartsWith("Basic", none.Header("WWW-Authenticate"));
        Assert.Equal(401, (await PostAsync(host, Call("supervisor.getVersion"), authorization: Basic("admin", "wrong"))).Status);
        // superlance's listeners send an empty user and password when none is configured for them.
        Assert.Equal(401, (await PostAsync(host, Call("supervisor.getVersion"), authorization: "Basic Og==")).Status);
        var right = await PostAsync(host, Call("supervisor.getVersion"), authorization: Basic("admin", "s3cret"));
        Assert.Equal(200, right.Status);
        Assert.Empty(host.Fake.Calls);
    }

    [Fact]
    public async Task WithoutAuthentication_AnyAuthorizationHeader_IsIgnored()
    {
        await using var host = await ControlHost.StartAsync();
        Assert.Equal(200, (await PostAsync(host, Call("supervisor.getVersion"), authorization: "Basic Og==")).Status);
        Assert.Equal(200, (await PostAsync(host, Call("supervisor.getVersion"), authorization: "Bearer junk")).Status);
    }

    private static async Task<(HttpStatusCode, string)> TcpPostAsync(int port, string host, string? origin, string contentType)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/RPC2")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Call("supervisor.stopAllProcesses"))),
        };
        request.Headers.Host = host;
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        if (origin is not null) request.Headers.TryAddWithoutValidation("Origin", origin);
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OverTcp_TheRequestGuard_RefusesForeignHostsOriginsAndMediaTypes_BeforeAnythingActs()
    {
        var port = LoopbackPort.Free();
        await using var host = await ControlHost.StartAsync(o => o with { Inet = new InetHttpServerSettings("127.0.0.1", port, null, null) });

        Assert.Equal(HttpStatusCode.Forbidden, (await TcpPostAsync(port, "evil.example", null, "text/xml")).Item1);                  // DNS rebinding
        Assert.Equal(HttpStatusCode.Forbidden, (await TcpPostAsync(port, $"127.0.0.1:{port}", "http://evil.example", "text/xml")).Item1);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await TcpPostAsync(port, $"127.0.0.1:{port}", null, "text/plain")).Item1); // a form
        Assert.Empty(host.Fake.Calls);
        var (status, body) = await TcpPostAsync(port, $"localhost:{port}", null, "text/xml");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<methodResponse>", body);
        Assert.Single(host.Fake.Calls);
    }

    [Fact]
    public async Task OneConnection_ServesManyCalls_AndHttp10IsClosedWithConnectionClose()
    {
        await using var host = await ControlHost.StartAsync();
        await using (var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath))
        {
            // update sends reloadConfig, then stop/remove/add calls, on one socket.
            for (var i = 0; i < 5; i++)
                Assert.Equal(200, (await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(Call("supervisor.getState")))).Status);
            // A stray CRLF before the next request line is tolerated.
            await connection.SendAsync("\r\n");
            Assert.Equal(200, (await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(Call("supervisor.getPID")))).Status);
        }
        await using (var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath))
        {
            var response = await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(Call("supervisor.getVersion"), version: "HTTP/1.0"));
            Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
            Assert.Equal("close", response.Header("Connection"), ignoreCase: true);
            Assert.True(await connection.ClosedByServerAsync());
        }
    }

    [Theory]
    [InlineData("/RPC2/")]
    [InlineData("/RPC2?x=1")]
    [InlineData("/RPC2/anything/below")]
    public async Task PathsUnderRpc2_AreXmlRpc_AsSupervisordMatchesAPrefix(string target)
    {
        await using var host = await ControlHost.StartAsync();
        Assert.Contains("<string>3.0</string>", (await PostAsync(host, Call("supervisor.getAPIVersion"), target)).Text);
    }

    [Fact]
    public async Task HttpErrors_AreSupervisords_400_411_404()
    {
        await using var host = await ControlHost.StartAsync();
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        var get = await connection.RoundTripAsync("GET /RPC2 HTTP/1.1\r\nHost: localhost\r\n\r\n"u8.ToArray());
        Assert.Equal("HTTP/1.1 400 Bad Request", get.StatusLine);
        var noLength = await connection.RoundTripAsync("POST /RPC2 HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/xml\r\n\r\n"u8.ToArray());
        Assert.Equal("HTTP/1.1 411 Length Required", noLength.StatusLine);
        var unknownPath = await connection.RoundTripAsync(RawHttpConnection.XmlRpcRequest(Call("supervisor.getVersion"), "/nosuch"));
        Assert.Equal(404, unknownPath.Status);
    }

    public static TheoryData<string, string> BadBodies => new()
    {
        { "not xml at all", "garbage" },
        { "<methodCall><methodName>supervisor.getVersion</methodName>", "truncated" },
        { "<methodCall><params/></methodCall>", "no methodName" },
        { "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY a 'b'>]><methodCall><methodName>&a;</methodName></methodCall>", "DTD" },
        { "<?xml version='1.0'?><!DOCTYPE m [<!ENTITY x SYSTEM 'file:///etc/passwd'>]><methodCall><methodName>&x;</methodName></methodCall>", "XXE" },
        { BillionLaughs(), "billion laughs" },
        { Call("m", string.Concat(Enumerable.Repeat("<array><data><value>", 200)) + string.Concat(Enumerable.Repeat("</value></data></array>", 200))), "deep nesting" },
        { "<methodCall><methodName>m</methodName><params><param><value><int>12x</int></value></param></params></methodCall>", "bad int" },
    };

    private static string BillionLaughs()
    {
        var xml = new StringBuilder("<?xml version='1.0'?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
        for (var i = 1; i < 10; i++)
            xml.Append($"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{(i == 1 ? "" : i - 1)};", 10))}\">");
        return xml.Append("]><methodCall><methodName>&lol9;</methodName></methodCall>").ToString();
    }

    [Theory]
    [MemberData(nameof(BadBodies))]
    public async Task BadBodies_Are400_AndNothingActs(string body, string what)
    {
        await using var host = await ControlHost.StartAsync();
        var response = await PostAsync(host, body);
        Assert.True(response.Status == 400, $"{what}: {response}");
        Assert.Empty(host.Fake.Calls);
        Assert.Equal(200, (await PostAsync(host, Call("supervisor.getVersion"))).Status);
    }

    [Fact]
    public async Task ABodyBeyondTheLimit_IsRefusedUnread()
    {
        await using var host = await ControlHost.StartAsync();
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        try
        {
            await connection.SendAsync(RawHttpConnection.XmlRpcRequest(Call("supervisor.getProcessInfo", Str(new string('a', 2 << 20)))));
        }
        catch (IOException)
        {
            // The server answered from the Content-Length alone and closed before the body was all sent.
        }
        var response = await connection.ReadResponseAsync();
        Assert.Equal(413, response!.Status);
        Assert.Empty(host.Fake.Calls);
    }

    public static TheoryData<string, int> Faults => new()
    {
        { Call("supervisor.nosuch"), 1 },
        { Call("nonamespace"), 1 },
        { Call("supervisor._update", Str("x")), 1 },
        { Call("supervisor.getProcessInfo"), 2 },                                       // missing parameter
        { Call("supervisor.getVersion", Str("extra")), 2 },                             // one too many
        { Call("supervisor.readLog", Str("x"), "<int>0</int>"), 2 },                     // an int that is not one
        { Call("supervisor.getProcessInfo", "<array><data></data></array>"), 2 },       // wrong type
        { Call("supervisor.sendProcessStdin", Str("web"), "<int>5</int>"), 2 },         // chars must be a string
        { Call("supervisor.getProcessInfo", Str("nosuch")), 10 },
        { Call("supervisor.getProcessInfo", Str("worker:*")), 10 },                     // a group is not a process
        { Call("supervisor.signalProcess", Str("web"), Str("NOSUCHSIG")), 11 },
        { Call("supervisor.readProcessStdoutLog", Str("web"), "<int>-1</int>", "<int>5</int>"), 3 },
        { Call("supervisor.startProcess", Str("web")), 60 },
        { Call("system.methodHelp", Str("supervisor.nosuch")), 4 },
        { Call("system.methodSignature", Str("nosuch")), 4 },
    };

    [Theory]
    [MemberData(nameof(Faults))]
    public async Task BadCalls_AreFaults_WithSupervisordsCodes(string body, int code)
    {
        await using var host = await ControlHost.StartAsync();
        var response = await PostAsync(host, body);
        Assert.True(response.Status == 200 && response.FaultCode == code, response.ToString());
    }

    [Fact]
    public async Task AfterShutdown_SupervisorMethodsAnswerShutdownState_SystemMethodsStillAnswer()
    {
        await using var host = await ControlHost.StartAsync();
        Assert.Contains("<boolean>1</boolean>", (await PostAsync(host, Call("supervisor.shutdown"))).Text);
        Assert.Equal(6, (await PostAsync(host, Call("supervisor.getState"))).FaultCode);
        Assert.Equal(6, (await PostAsync(host, Call("supervisor.shutdown"))).FaultCode);
        Assert.Null((await PostAsync(host, Call("system.listMethods"))).FaultCode);
        Assert.Null((await PostAsync(host, Call("supervisor.sendRemoteCommEvent", Str("t"), Str("d")))).FaultCode);
        // The answer came first; the shutdown itself follows.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (!host.Fake.ShutdownCalled && DateTime.UtcNow < deadline) await Task.Delay(20);
        Assert.True(host.Fake.ShutdownCalled);
    }

    [Fact]
    public async Task OneShutdown_ForBothDoors_AndForTheDaemonsOwnSignal()
    {
        await using var host = await ControlHost.StartAsync();
        using var client = host.Client();
        Assert.Equal("shutting down", (await client.ShutdownAsync()).Status);

        Assert.Equal(6, (await PostAsync(host, Call("supervisor.shutdown"))).FaultCode);
        Assert.Equal(6, (await PostAsync(host, Call("supervisor.getState"))).FaultCode);

        // A latch taken by a signal (the daemon's own path) closes both doors the same way.
        var latch = new ShutdownLatch();
        Assert.True(latch.TryBegin());
        await using var signalled = await ControlHost.StartAsync(o => o with { Shutdown = latch });
        using var second = signalled.Client();
        Assert.Equal(ErrorCode.ShutdownState, (await Assert.ThrowsAsync<ControlApiException>(() => second.ShutdownAsync())).Error.Code);
        Assert.Equal(6, (await PostAsync(signalled, Call("supervisor.shutdown"))).FaultCode);
        Assert.False(signalled.Fake.ShutdownCalled);
    }

    [Fact]
    public async Task Multicall_RunsInOrder_ResultsUnwrapped_FaultsInTheirSlots_NestedMulticallRefused()
    {
        await using var host = await ControlHost.StartAsync();
        static string Entry(string method, string parameters = "") =>
            $"<value><struct><member><name>methodName</name><value><string>{method}</string></value></member>"
            + $"<member><name>params</name><value><array><data>{parameters}</data></array></value></member></struct></value>";
        var calls = "<array><data>" + Entry("supervisor.getAPIVersion") + Entry("supervisor.getProcessInfo", "<value><string>nosuch</string></value>")
            + Entry("system.multicall", "<value><array><data></data></array></value>")
            + "<value><struct><member><name>params</name><value><array><data/></array></value></member></struct></value>"
            + Entry("supervisor.getIdentification") + "</data></array>";
        var text = (await PostAsync(host, Call("system.multicall", calls))).Text;
        var expected = "<value><array><data>\n"
            + "<value><string>3.0</string></value>\n"
            + "<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>10</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>BAD_NAME: nosuch</string></value>\n</member>\n</struct></value>\n"
            + "<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>INCORRECT_PARAMETERS: Recursive system.multicall forbidden</string></value>\n</member>\n</struct></value>\n"
            + "<value><struct>\n<member>\n<name>faultCode</name>\n<value><int>2</int></value>\n</member>\n<member>\n<name>faultString</name>\n<value><string>INCORRECT_PARAMETERS: No methodName</string></value>\n</member>\n</struct></value>\n"
            + "<value><string>taskmaster</string></value>\n"
            + "</data></array></value>";
        Assert.Contains(expected, text);
    }

    [Fact]
    public async Task LogTail_StreamsChunked_FromTheLast1024Bytes_AndFollowsWrites()
    {
        await using var host = await ControlHost.StartAsync();
        var log = Path.Combine(host.Dir, "web.out.log");
        File.WriteAllText(log, new string('x', 3000) + "END\n");
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        // Byte for byte what supervisorctl's http_client sends, extra CRLF included.
        await connection.SendAsync("GET /logtail/web HTTP/1.1\r\nHost: localhost\r\nAccept-Encoding: chunked\r\nAccept: */*\r\nUser-agent: Supervisor HTTP Client\r\n\r\n\r\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = (await connection.ReadResponseAsync(cts.Token))!;
        Assert.Equal("HTTP/1.1 200 OK", response.StatusLine);
        Assert.True(response.Chunked, response.ToString());
        Assert.Null(response.Header("Content-Length"));
        var received = new StringBuilder();
        while (received.Length < 1024) received.Append(Encoding.UTF8.GetString((await connection.ReadChunkAsync(cts.Token))!));
        Assert.Equal(new string('x', 1020) + "END\n", received.ToString());

        File.AppendAllText(log, "later line\n");
        received.Clear();
        while (!received.ToString().Contains("later line\n")) received.Append(Encoding.UTF8.GetString((await connection.ReadChunkAsync(cts.Token))!));
        Assert.Equal("later line\n", received.ToString());
    }

    [Theory]
    [InlineData("/logtail/web/stderr", "oops on stderr\n")]
    [InlineData("/mainlogtail", "spawned: 'web' with pid 1234\n")]
    public async Task LogTail_OfStderrAndTheMainLog(string target, string expectedEnd)
    {
        await using var host = await ControlHost.StartAsync();
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        await connection.SendAsync($"GET {target} HTTP/1.1\r\nHost: localhost\r\n\r\n");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var response = (await connection.ReadResponseAsync(cts.Token))!;
        Assert.True(response.Status == 200 && response.Chunked, response.ToString());
        Assert.EndsWith(expectedEnd, Encoding.UTF8.GetString((await connection.ReadChunkAsync(cts.Token))!));
    }

    [Theory]
    [InlineData("GET /logtail/nosuch HTTP/1.1", 404)]
    [InlineData("GET /logtail/web/other HTTP/1.1", 404)]
    [InlineData("GET /logtail/idle HTTP/1.1", 404)]        // no log file
    [InlineData("DELETE /logtail/web HTTP/1.1", 400)]
    public async Task LogTail_Refusals(string requestLine, int status)
    {
        await using var host = await ControlHost.StartAsync();
        await using var connection = await RawHttpConnection.OpenUnixAsync(host.SocketPath);
        var response = await connection.RoundTripAsync(Encoding.ASCII.GetBytes($"{requestLine}\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n"));
        Assert.Equal(status, response.Status);
    }
}
