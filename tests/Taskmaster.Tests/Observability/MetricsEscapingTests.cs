using System.Net;
using Taskmaster.Tests.Control;
using Taskmaster.Tests.TestSupport;

namespace Taskmaster.Tests.Observability;

/// <summary>Label values are escaped as the exposition format requires (backslash, double quote, newline).</summary>
public sealed class MetricsEscapingTests
{
    [Fact]
    public async Task LabelValues_AreEscaped()
    {
        await using var host = await ControlHost.StartAsync(o => o with { Version = "1\"2\\3\n4" });
        using var http = UnixSocketHttp.Client(host.SocketPath);
        using var response = await http.GetAsync("metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var page = await response.Content.ReadAsStringAsync();
        Assert.Contains("\ntaskmaster_build_info{version=\"1\\\"2\\\\3\\n4\",supervisor_api=\"3.0\"} 1\n", page);
    }
}
