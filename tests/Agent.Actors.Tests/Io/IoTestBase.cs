using Agent.TestKit;
using Agent.Actors.Io;
using Agent.Actors.Kernel;
using Agent.Messages;
using Agent.Messages.Io;
using Xunit;

namespace Agent.Actors.Tests.Io;

/// <summary>Each test class owns an actor system with an IO manager, terminated after the class's tests.</summary>
public abstract class IoTestBase : IAsyncLifetime
{
    protected ActorSystem System { get; private set; } = null!;

    protected IActorRef Io { get; private set; } = null!;

    protected virtual IoSettings Settings => IoSettings.Default;

    public Task InitializeAsync()
    {
        System = ActorSystem.Create("io-" + GetType().Name.ToLowerInvariant());
        Io = System.ActorOf(IoManager.Props(Settings), "io");
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await System.Terminate();

    /// <summary>Connects a registered client to <paramref name="remote"/>.</summary>
    protected async Task<(TestProbe Client, IActorRef Connection, SockStream.Connected Connected)> ConnectAsync(Endpoint remote)
    {
        var client = TestProbe.Create(System);
        Io.Tell(new SockStream.Connect(remote), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>();
        var connection = client.LastSender;
        connection.Tell(SockStream.Register.Instance, client.Ref);
        return (client, connection, connected);
    }

    /// <summary>
    /// Connects a new client probe to a listener whose handler is <paramref name="server"/> and
    /// waits for both sides' <see cref="SockStream.Connected"/>; neither side is registered yet.
    /// </summary>
    protected async Task<(TestProbe Client, IActorRef ClientConnection, SockStream.Connected ClientConnected, IActorRef ServerConnection, SockStream.Connected ServerConnected)>
        ConnectPairAsync(TestProbe server, Endpoint local)
    {
        var client = TestProbe.Create(System);
        Io.Tell(new SockStream.Connect(local), client.Ref);
        var clientConnected = await client.ExpectMsgAsync<SockStream.Connected>();
        var clientConnection = client.LastSender;
        var serverConnected = await server.ExpectMsgAsync<SockStream.Connected>();
        return (client, clientConnection, clientConnected, server.LastSender, serverConnected);
    }

    /// <summary>Binds a stream listener (default <c>tcp:127.0.0.1:0</c>) with a probe as its handler.</summary>
    protected async Task<(TestProbe Handler, IActorRef Listener, Endpoint Local)> BindAsync(Endpoint? endpoint = null, SocketOptions? options = null)
    {
        var handler = TestProbe.Create(System);
        Io.Tell(new SockStream.Bind(endpoint ?? Endpoint.Parse("tcp:127.0.0.1:0"), Options: options), handler.Ref);
        var bound = await handler.ExpectMsgAsync<SockStream.Bound>();
        var listener = handler.LastSender;
        return (handler, listener, bound.LocalAddress);
    }
}
