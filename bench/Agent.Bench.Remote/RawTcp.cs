using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Agent.Actors.Cluster;
using Akka.Actor;

namespace Agent.Bench.Remote;

/// <summary>
/// The floor under the remote requests: the same bytes (our serializer's request and reply) over a plain loopback TCP
/// connection between two .NET async sockets, no actors, no remoting. Run beside the lookups with 1 in flight, it says
/// what one round trip costs on this machine at that moment.
/// </summary>
internal static class RawTcp
{
    /// <summary>The request and reply payloads our serializer writes for the benchmark's lookup.</summary>
    public static (byte[] Request, byte[] Reply) Frames(ActorSystem system)
    {
        var wire = new WireSerializer((ExtendedActorSystem)system);
        return (wire.ToBinary(BenchNode.Request), wire.ToBinary(SerializerCheck.Reply()));
    }

    /// <summary>Listens on 127.0.0.1 (port 0) and answers every request-sized read with the reply; returns the port.</summary>
    public static int Serve(ActorSystem system, CancellationToken stop)
    {
        var (request, reply) = Frames(system);
        var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        stop.Register(listener.Dispose);
        _ = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var connection = await listener.AcceptAsync(stop);
                    connection.NoDelay = true;
                    _ = Task.Run(() => AnswerAsync(connection, request.Length, reply, stop));
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                // Stopped.
            }
        });
        return ((IPEndPoint)listener.LocalEndPoint!).Port;
    }

    /// <summary>Starts <paramref name="load"/>'s slots, one connection each to the server at <paramref name="port"/>; returns what stops them.</summary>
    public static Action Start(Load load, ActorSystem system, int port)
    {
        var (request, reply) = Frames(system);
        for (var i = 0; i < load.Slots; i++)
        {
            var slot = i;
            _ = Task.Run(() => AskLoopAsync(load, port, request, reply.Length, slot));
        }
        return static () => { };
    }

    private static async Task AskLoopAsync(Load load, int port, byte[] request, int replyLength, int slot)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port));
            var buffer = new byte[replyLength];
            while (!load.Stopping)
            {
                var sent = Stopwatch.GetTimestamp();
                await socket.SendAsync(request, SocketFlags.None);
                var ok = await ReadExactlyAsync(socket, buffer, CancellationToken.None);
                load.Record(slot, Stopwatch.GetTimestamp() - sent, ok ? null : "the raw server closed the connection");
                if (!ok)
                {
                    break;
                }
            }
        }
        catch (SocketException e)
        {
            load.Record(slot, 0, $"raw TCP: {e.SocketErrorCode}");
        }
        load.SlotDone();
    }

    private static async Task AnswerAsync(Socket connection, int requestLength, byte[] reply, CancellationToken stop)
    {
        using (connection)
        {
            var buffer = new byte[requestLength];
            try
            {
                while (await ReadExactlyAsync(connection, buffer, stop))
                {
                    await connection.SendAsync(reply, SocketFlags.None, stop);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException)
            {
                // The client went away, or the node stops.
            }
        }
    }

    private static async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer, CancellationToken stop)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, stop);
            if (n == 0)
            {
                return false;
            }
            read += n;
        }
        return true;
    }
}
