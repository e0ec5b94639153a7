using System.Net;
using System.Net.Sockets;
using Taskmaster.Tests.Control;

namespace Taskmaster.Tests.Observability;

/// <summary>Label values are escaped as the exposition format requires (backslash, double quote, newline).</summary>
public sealed class MetricsEscapingTests
{
    [Fact]
    public async Task LabelValues_AreEscaped()
    {
        await using var host = await ControlHost.StartAsync(o => o with { Version = "1\"2\\3\n4" });
        using var http = new HttpClient(new SocketsHttpHandler
        {
            ConnectCallback = async (_, ct) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(host.SocketPath), ct);
                return new NetworkStream(socket, ownsSocket: true);
            },
        }) { BaseAddress = new Uri("http://localhost/") };
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("\ntaskmaster_build_info{version=\"1\\\"2\\\\3\\n4\",supervisor_api=\"3.0\"} 1\n", page);
    }
}
