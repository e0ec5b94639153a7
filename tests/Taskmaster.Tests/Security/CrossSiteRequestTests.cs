using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Taskmaster.Config;
using Taskmaster.Control;
using Taskmaster.Supervision;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Security;

/// <summary>
/// A web page in a local browser against TCP on loopback without credentials (issue 27 item 2): each request is the
/// one a browser sends, header for header, for the attack named in the test. None may act, nor read.
/// </summary>
public sealed class CrossSiteRequestTests
{
    private const string UserAgent = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36";

    private static Task<ControlHost> StartOpenLoopbackAsync(int port, params string[] allowedHosts) =>
        ControlHost.StartAsync(o => o with
        {
            Inet = new InetHttpServerSettings("127.0.0.1", port, null, null) { AllowedHosts = [.. allowedHosts] },
        });

    /// <summary>Sends exactly these headers (HttpClient adds only Content-Length), to 127.0.0.1 whatever Host says.</summary>
    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(int port, string method, string target,
        (string Name, string Value)[] headers, string? body = null)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(new HttpMethod(method), $"http://127.0.0.1:{port}{target}");
        if (body is not null) request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        foreach (var (name, value) in headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase)) request.Headers.Host = value;
            else if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)) (request.Content ??= new ByteArrayContent([])).Headers.TryAddWithoutValidation(name, value);
            else request.Headers.TryAddWithoutValidation(name, value);
        }
        using var response = await http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private static ApiError ErrorOf(string body) => JsonSerializer.Deserialize(body, ControlJsonContext.Default.ApiError)!;

    /// <summary>What Chrome sends for <c>&lt;form method=post enctype=text/plain action=http://127.0.0.1:PORT/...&gt;</c>
    /// submitted from http://evil.example/.</summary>
    private static (string, string)[] FormPost(int port, string contentType) =>
    [
        ("Host", $"127.0.0.1:{port}"), ("Connection", "keep-alive"), ("Cache-Control", "max-age=0"),
        ("Origin", "http://evil.example"), ("Content-Type", contentType), ("Upgrade-Insecure-Requests", "1"),
        ("User-Agent", UserAgent),
        ("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"),
        ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "navigate"), ("Sec-Fetch-User", "?1"), ("Sec-Fetch-Dest", "document"),
        ("Referer", "http://evil.example/"), ("Accept-Encoding", "gzip, deflate, br, zstd"), ("Accept-Language", "en-US,en;q=0.9"),
    ];

    // A text/plain form whose one field is named {"names":["web"],"wait":true,"x":" and valued "} posts this body.
    private const string FormBody = "{\"names\":[\"web\"],\"wait\":true,\"x\":\"=\"}";

    [Fact]
    public async Task CrossSiteTextPlainFormPost_ToStop_IsRefusedAsForeignOrigin_AndStopsNothing()
    {
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);

        var (status, body) = await SendAsync(port, "POST", "/api/v1/processes/stop", FormPost(port, "text/plain"), FormBody);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(ErrorCode.ForeignOrigin, ErrorOf(body).Code);
        Assert.Equal("FOREIGN_ORIGIN", ErrorOf(body).Error);
        Assert.Empty(host.Fake.Calls);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW")]
    [InlineData(null)]
    public async Task SimpleContentType_WithoutOriginHeaders_IsRefusedAs415_AndStopsNothing(string? contentType)
    {
        // A browser that sent no Origin (or a proxy that stripped it) must still not get a form post through.
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);
        var headers = FormPost(port, contentType ?? "").Where(h => h.Item1 is not ("Origin" or "Referer") && !h.Item1.StartsWith("Sec-Fetch", StringComparison.Ordinal))
            .Where(h => contentType is not null || h.Item1 != "Content-Type").ToArray();

        var (status, body) = await SendAsync(port, "POST", "/api/v1/processes/stop", headers, FormBody);

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", ErrorOf(body).Error);
        Assert.Empty(host.Fake.Calls);
    }

    [Fact]
    public async Task NoCorsFetch_ToShutdown_IsRefused_AndTheDaemonStaysUp()
    {
        // fetch("http://127.0.0.1:PORT/api/v1/shutdown", {method: "POST", mode: "no-cors"}) from http://evil.example/
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);
        (string, string)[] headers =
        [
            ("Host", $"127.0.0.1:{port}"), ("Connection", "keep-alive"), ("User-Agent", UserAgent), ("Accept", "*/*"),
            ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"), ("Sec-Fetch-Mode", "no-cors"),
            ("Sec-Fetch-Dest", "empty"), ("Referer", "http://evil.example/"), ("Accept-Encoding", "gzip, deflate, br, zstd"),
            ("Accept-Language", "en-US,en;q=0.9"),
        ];

        var (status, body) = await SendAsync(port, "POST", "/api/v1/shutdown", headers, "");

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal("FOREIGN_ORIGIN", ErrorOf(body).Error);
        Assert.False(host.Fake.ShutdownCalled);
    }

    [Theory]
    [InlineData("/api/v1/processes/stop?names=web&wait=true")]
    [InlineData("/api/v1/processes/signal?names=web&signal=KILL")]
    [InlineData("/api/v1/shutdown?now=1")]
    public async Task QueryStringOnlyPost_WithAnEmptyBody_ActsOnNothing(string target)
    {
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);

        var bare = await SendAsync(port, "POST", target, [("Host", $"127.0.0.1:{port}")], "");
        var asJson = await SendAsync(port, "POST", target, [("Host", $"127.0.0.1:{port}"), ("Content-Type", "application/json")], "");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, bare.Status);
        Assert.Equal(HttpStatusCode.BadRequest, asJson.Status);
        Assert.Equal("MALFORMED_REQUEST", ErrorOf(asJson.Body).Error);
        Assert.Empty(host.Fake.Calls);
        Assert.False(host.Fake.ShutdownCalled);
    }

    [Fact]
    public async Task DnsRebinding_ReadingALog_IsRefusedOnItsHostHeader()
    {
        // After rebinding, the page at http://rebind.evil.example:PORT/ believes the daemon is its own origin: its fetch
        // is same-origin, and only the Host header tells.
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);
        await File.WriteAllTextAsync(Path.Combine(host.Dir, "web.out.log"), "SECRET=hunter2\n");
        (string, string)[] headers =
        [
            ("Host", $"rebind.evil.example:{port}"), ("Connection", "keep-alive"), ("User-Agent", UserAgent), ("Accept", "*/*"),
            ("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Mode", "cors"), ("Sec-Fetch-Dest", "empty"),
            ("Referer", $"http://rebind.evil.example:{port}/"), ("Accept-Encoding", "gzip, deflate, br, zstd"),
            ("Accept-Language", "en-US,en;q=0.9"),
        ];

        var (status, body) = await SendAsync(port, "GET", "/api/v1/processes/web/log?offset=0", headers);

        Assert.Equal(HttpStatusCode.Forbidden, status);
        Assert.Equal(ErrorCode.HostNotAllowed, ErrorOf(body).Code);
        Assert.DoesNotContain("hunter2", body);
    }

    [Theory]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("localhost:{port}")]
    [InlineData("LOCALHOST")]
    [InlineData("[::1]:{port}")]
    [InlineData("box.internal:{port}")]
    public async Task TheListenersOwnNames_AreServed(string hostHeader)
    {
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port, "box.internal");

        var (status, _) = await SendAsync(port, "GET", "/api/v1/version", [("Host", hostHeader.Replace("{port}", port.ToString()))]);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task SameOriginPost_FromAPageTheDaemonServes_Acts()
    {
        // The dashboard to come posts from its own origin with the JSON type: that must keep working.
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);
        (string, string)[] headers =
        [
            ("Host", $"127.0.0.1:{port}"), ("Origin", $"http://127.0.0.1:{port}"), ("Content-Type", "application/json"),
            ("Sec-Fetch-Site", "same-origin"), ("Sec-Fetch-Mode", "cors"), ("User-Agent", UserAgent),
        ];

        var (status, _) = await SendAsync(port, "POST", "/api/v1/processes/stop", headers, "{\"names\":[\"web\"]}");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["stop web"], host.Fake.Calls);
    }

    [Fact]
    public async Task Stdin_TakesOnlyOctetStream()
    {
        var port = LoopbackPort.Free();
        await using var host = await StartOpenLoopbackAsync(port);

        var form = await SendAsync(port, "POST", "/api/v1/processes/web/stdin", [("Host", $"127.0.0.1:{port}"), ("Content-Type", "text/plain")], "rm -rf ~\n");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, form.Status);
        Assert.Equal("UNSUPPORTED_MEDIA_TYPE", ErrorOf(form.Body).Error);
    }
}
