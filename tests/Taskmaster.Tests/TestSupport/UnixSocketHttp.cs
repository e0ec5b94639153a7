using System.Net.Sockets;

namespace Taskmaster.Tests.TestSupport;

/// <summary>An HttpClient whose every connection goes to a unix socket (the daemon's control socket).</summary>
internal static class UnixSocketHttp
{
    public static HttpClient Client(string socketPath) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (_, ct) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), ct);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
            return new NetworkStream(socket, ownsSocket: true);
        },
    }) { BaseAddress = new Uri("http://localhost/") };
}
