using System.Collections.Concurrent;
using System.Text;
using Taskmaster.Control;
using Taskmaster.Supervision;

namespace Taskmaster.Tests.Control;

/// <summary><c>POST /api/v1/processes/{name}/stdin</c>: bytes reach the engine as sent, and every refusal is its
/// stable API error (supervisord's sendProcessStdin faults, plus INPUT_FULL).</summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class StdinRouteTests
{
    /// <summary>An engine whose answer depends on the name only, recording what it was sent.</summary>
    private sealed class ScriptedStdin : IProcessStdin
    {
        public ConcurrentQueue<(string Name, string Data)> Received { get; } = new();

        public Task<StdinWriteResult> WriteStdinAsync(string name, ReadOnlyMemory<byte> data, CancellationToken ct = default)
        {
            Received.Enqueue((name, Encoding.UTF8.GetString(data.Span)));
            return Task.FromResult(name switch
            {
                "nosuch" => new StdinWriteResult(name, StdinWriteStatus.BadName),
                "idle" => new StdinWriteResult("idle", StdinWriteStatus.NotRunning),
                "deaf" => new StdinWriteResult("deaf", StdinWriteStatus.Closed),
                "busy" => new StdinWriteResult("busy", StdinWriteStatus.Full, 2),
                _ => new StdinWriteResult(name, StdinWriteStatus.Written, data.Length),
            });
        }
    }

    [Fact]
    public async Task Stdin_Written_PassesTheBytesAsSent()
    {
        var engine = new ScriptedStdin();
        await using var host = await ControlHost.StartAsync(o => o with { Input = engine });
        using var client = host.Client();

        await client.WriteStdinAsync("grp:web", "héllo\n"u8.ToArray());

        Assert.Equal([("grp:web", "héllo\n")], engine.Received);
    }

    [Theory]
    [InlineData("nosuch", 10, "BAD_NAME", 404, "no such process: nosuch")]
    [InlineData("idle", 70, "NOT_RUNNING", 409, "idle is not running")]
    [InlineData("deaf", 20, "NO_FILE", 404, "deaf has closed its stdin")]
    [InlineData("busy", 106, "INPUT_FULL", 503, "stdin of busy is full, the process is not reading it (2 of 6 bytes sent)")]
    public async Task Stdin_Refused_AnswersTheStableError(string name, int code, string error, int http, string message)
    {
        await using var host = await ControlHost.StartAsync(o => o with { Input = new ScriptedStdin() });
        using var client = host.Client();

        var e = await Assert.ThrowsAsync<ControlApiException>(() => client.WriteStdinAsync(name, "hello\n"u8.ToArray()));

        Assert.Equal((code, error, http, message), ((int)e.Error.Code, e.Error.Error, e.HttpStatus, e.Error.Message));
    }

    [Fact]
    public async Task Stdin_WithoutAnInputService_IsUnsupported()
    {
        await using var host = await ControlHost.StartAsync();
        using var client = host.Client();

        var e = await Assert.ThrowsAsync<ControlApiException>(() => client.WriteStdinAsync("web", "x\n"u8.ToArray()));

        Assert.Equal((ErrorCode.Unsupported, 501), (e.Error.Code, e.HttpStatus));
    }
}
