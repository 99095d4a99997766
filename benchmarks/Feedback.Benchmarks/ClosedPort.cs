using System.Net;
using System.Net.Sockets;

namespace Feedback.Benchmarks;

/// <summary>A loopback port nothing listens on: the client under test never sends anywhere during a benchmark.</summary>
internal static class ClosedPort
{
    public static int Next()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
