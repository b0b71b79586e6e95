// Agent.Bench.AkkaIo: an echo server on Akka.NET's own IO managers, with the command line and
// readiness line of shared/bench's RawEcho and echo_epoll so compare.sh can run it beside them.
//
//   Agent.Bench.AkkaIo tcp HOST:PORT | udp HOST:PORT | unix PATH      (PORT 0 = any free port)
//
// Prints "akkaio: <transport> listening on <address>" to stderr once bound; SIGTERM or SIGINT
// stops it with exit status 0. `unix` exits 2: Akka.IO cannot bind Unix-domain sockets.
using System.Net;
using System.Runtime.InteropServices;
using Akka.Actor;
using Akka.Configuration;
using Akka.IO;

namespace Agent.Bench.AkkaIo;

internal static class Program
{
    // Akka's defaults otherwise, so the numbers are what an Akka.NET user gets out of the box.
    // The one setting an echo server must change: Akka.IO receives each datagram into a buffer
    // of akka.io.udp.<pool>.buffer-size bytes (default 512) and hands on what fit, so on Linux a
    // larger datagram arrives silently cut to 512 bytes. 65536 holds any UDP payload.
    private const string Hocon = """
        akka {
          loglevel = WARNING
          stdout-loglevel = WARNING
          io.udp.disabled-buffer-pool.buffer-size = 65536
        }
        """;

    private static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || args[0] is not ("tcp" or "udp" or "unix"))
        {
            await Console.Error.WriteLineAsync("usage: Agent.Bench.AkkaIo tcp HOST:PORT | udp HOST:PORT | unix PATH");
            return 2;
        }
        string transport = args[0], where = args[1];
        if (transport == "unix")
        {
            // Akka.IO's TcpListener creates its socket as (endpoint family, Stream, ProtocolType.Tcp),
            // which the OS refuses for AF_UNIX; nothing in Akka.IO's API can change that.
            await Console.Error.WriteLineAsync("akkaio: unix is not supported: Akka.IO's TCP manager opens every socket with ProtocolType.Tcp, which cannot bind a Unix-domain path (the bind fails with \"Protocol not supported\")");
            return 2;
        }
        IPEndPoint endpoint;
        try
        {
            endpoint = Endpoints.Parse(where);
        }
        catch (FormatException e)
        {
            await Console.Error.WriteLineAsync($"akkaio: {e.Message}");
            return 2;
        }

        // Akka.NET's loggers write to Console.Out; the bench contract keeps stdout silent.
        Console.SetOut(Console.Error);

        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext ctx)
        {
            ctx.Cancel = true; // we shut the actor system down ourselves
            stop.TrySetResult();
        }
        using var sigTerm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sigInt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);

        using ActorSystem system = ActorSystem.Create("akkaio", ConfigurationFactory.ParseString(Hocon));
        var bound = new TaskCompletionSource<EndPoint>(TaskCreationOptions.RunContinuationsAsynchronously);
        IActorRef server = system.ActorOf(transport == "tcp" ? TcpEchoServer.Create(endpoint, bound) : UdpEchoServer.Create(endpoint, bound), "echo");

        EndPoint local;
        try
        {
            local = await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception e) when (e is IOException or TimeoutException)
        {
            await Console.Error.WriteLineAsync($"akkaio: cannot listen on {transport} {where}: {e.Message}");
            await system.Terminate();
            return 1;
        }
        await Console.Error.WriteLineAsync($"akkaio: {transport} listening on {local}");
        await stop.Task;

        object unbind = transport == "tcp" ? Tcp.Unbind.Instance : Udp.Unbind.Instance;
        try
        {
            await server.Ask(unbind, TimeSpan.FromSeconds(5));
        }
        catch (AskTimeoutException)
        {
            // stop anyway: all that is lost is a quiet close of the listening socket
        }
        await system.Terminate();
        return 0;
    }
}
