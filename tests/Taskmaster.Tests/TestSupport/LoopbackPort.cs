using System.Net;
using System.Net.Sockets;

namespace Taskmaster.Tests.TestSupport;

/// <summary>A TCP port on 127.0.0.1 that nothing listens on at the moment of the call (the kernel's pick).</summary>
internal static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
