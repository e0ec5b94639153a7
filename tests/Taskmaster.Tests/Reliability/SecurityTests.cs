using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using Taskmaster.Config;
using Taskmaster.Daemon.Control;
using Taskmaster.Tests.Config;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.EndToEnd;
using static Taskmaster.Tests.Reliability.ReliabilityTools;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Reliability;

/// <summary>DESIGN §5 "Nobody gets in": names, socket mode, credentials.</summary>
public class SecurityTests
{
    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("..")]
    [InlineData("web/../../../etc/passwd")]
    public async Task Tail_WithPathLikeName_IsNoSuchProcess_AndReadsNoFile(string name)
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = {fixtures}/sleep_forever.sh
            startsecs = 0
            """);
        await daemon.StartAsync();
        await WaitAllRunningAsync(daemon, ["web"]);

        var tail = await daemon.CtlAsync("tail", name);

        Assert.NotEqual(0, tail.ExitCode);
        Assert.Contains("no such process", tail.Stdout + tail.Stderr, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("root:", tail.Stdout + tail.Stderr);
    }

    [Fact]
    public async Task Start_WithShellMetacharactersInName_NeverReachesAShell()
    {
        await using var daemon = DaemonUnderTest.Create("""
            [program:web]
            command = {fixtures}/sleep_forever.sh
            autostart = false
            """);
        await daemon.StartAsync();
        var marker = Path.Combine(daemon.Dir, "pwned");

        foreach (var name in new[] { $"web;touch {marker}", $"$(touch {marker})", $"`touch {marker}`", $"web && touch {marker}" })
        {
            var result = await daemon.CtlAsync("start", name);
            Assert.Contains("no such process", result.Stdout + result.Stderr, StringComparison.OrdinalIgnoreCase);
        }
        Assert.False(File.Exists(marker));
    }

    [Theory]
    [InlineData("[program:a/b]\ncommand = /bin/true\n")]
    [InlineData("[program:..]\ncommand = /bin/true\n")]
    [InlineData("[program:../etc]\ncommand = /bin/true\n")]
    [InlineData("[program:x..y]\ncommand = /bin/true\n")]
    [InlineData("[program:w]\ncommand = /bin/true\nnumprocs = 2\nprocess_name = ../%(process_num)d\n")]
    [InlineData("[..]\ncmd = /bin/true\n")]
    public void Loader_RejectsProcessNamesWithSlashOrDotDot(string text)
    {
        var errors = Cfg.Fails(text).Errors;
        Assert.Contains(errors, e => e.Message.Contains("invalid name", StringComparison.Ordinal));
    }

    [Fact]
    [System.Runtime.Versioning.SupportedOSPlatform("linux")]
    public async Task Socket_IsOwnerOnly_EvenWhenDaemonUmaskIsZero()
    {
        await using var daemon = DaemonUnderTest.Create("", daemonSection: "umask = 000");
        daemon.Launcher = ["sh", "-c", "umask 000; exec \"$@\"", "sh"];
        await daemon.StartAsync();

        var mode = File.GetUnixFileMode(daemon.SocketPath);
        Assert.Equal(UnixFileMode.None, mode & (UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute));
    }

    [Fact]
    public void Credentials_OnlyTheExactPairIsAccepted()
    {
        var plain = new BasicCredentials("admin", "s3cret");
        Assert.True(plain.Verify(Basic("admin", "s3cret")));
        Assert.False(plain.Verify(Basic("admin", "s3cre")));
        Assert.False(plain.Verify(Basic("admin", "s3cret ")));
        Assert.False(plain.Verify(Basic("Admin", "s3cret")));
        Assert.False(plain.Verify(Basic("", "")));
        Assert.False(plain.Verify(null));
        Assert.False(plain.Verify("Basic !!!not-base64"));
        Assert.False(plain.Verify("Bearer abc"));
        // supervisord's {SHA} form: the hex SHA-1 of the password.
        var sha = new BasicCredentials("admin", "{SHA}" + Convert.ToHexStringLower(System.Security.Cryptography.SHA1.HashData("s3cret"u8)));
        Assert.True(sha.Verify(Basic("admin", "s3cret")));
        Assert.False(sha.Verify(Basic("admin", "{SHA}s3cret")));
    }

    [Fact]
    public async Task RejectedLogin_LooksTheSame_WhateverPartWasWrong()
    {
        var port = LoopbackPort.Free();
        await using var host = await ControlHost.StartAsync(o => o with
        {
            Inet = new InetHttpServerSettings("127.0.0.1", port, "admin", "s3cret"),
        });
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };

        async Task<(HttpStatusCode, string, string)> Try(string? user, string? password)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "api/v1/processes");
            if (user is not null) request.Headers.Authorization = AuthenticationHeaderValue.Parse(Basic(user, password!));
            using var response = await http.SendAsync(request);
            return (response.StatusCode, await response.Content.ReadAsStringAsync(),
                string.Join(",", response.Headers.WwwAuthenticate));
        }

        var ok = await Try("admin", "s3cret");
        Assert.Equal(HttpStatusCode.OK, ok.Item1);
        var wrongUser = await Try("root", "s3cret");
        var wrongPassword = await Try("admin", "guess");
        var bothWrong = await Try("root", "guess");
        var none = await Try(null, null);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongUser.Item1);
        Assert.Equal(wrongUser, wrongPassword);
        Assert.Equal(wrongUser, bothWrong);
        Assert.Equal(wrongUser, none);
    }

    private static string Basic(string user, string password) =>
        "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));

}
