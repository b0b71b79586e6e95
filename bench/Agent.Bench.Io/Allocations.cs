using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Agent.Bench.Io;

/// <summary>
/// Managed bytes the process allocates per echoed message (server side: the client below reuses its
/// buffers and allocates nothing per round trip), for depth 1 and a 16-message pipeline.
/// </summary>
internal static class Allocations
{
    /// <summary>Echoes <paramref name="rounds"/> round trips of <paramref name="depth"/> messages of <paramref name="size"/> bytes and prints bytes allocated per message.</summary>
    public static void Measure(int port, int size, int depth, int rounds)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.Connect(new IPEndPoint(IPAddress.Loopback, port));
        var message = new byte[size * depth];
        var echo = new byte[message.Length];
        RoundTrips(client, message, echo, rounds / 10);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        var clock = Stopwatch.StartNew();
        RoundTrips(client, message, echo, rounds);
        var elapsed = clock.Elapsed;
        allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var messages = (double)rounds * depth;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"size {size} depth {depth}: {allocated / messages:F0} bytes allocated per echoed message, {allocated / (double)rounds:F0} per round trip, {rounds / elapsed.TotalSeconds:F0} round trips/s"));
    }

    private static void RoundTrips(Socket client, byte[] message, byte[] echo, int rounds)
    {
        for (var i = 0; i < rounds; i++)
        {
            client.Send(message);
            for (var got = 0; got < echo.Length;)
            {
                got += client.Receive(echo, got, echo.Length - got, SocketFlags.None);
            }
        }
    }
}
