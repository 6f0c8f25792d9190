using System.Net;
using System.Net.Sockets;

namespace Twin.Silo.Hosting;

/// <summary>A TCP port free on loopback right now, for in-process twins (scenario runs, tests, benchmarks).</summary>
public static class LoopbackPort
{
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
