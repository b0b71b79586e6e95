using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

/// <summary>Each test gets its own actor system (<see cref="AgentTestKit"/>) with an IO manager named <c>io</c>.</summary>
public abstract class IoTestBase : AgentTestKit
{
    protected IoTestBase(ITestOutputHelper output, IoSettings? settings = null, string? hocon = null)
        : base(output, hocon)
    {
        Io = Sys.ActorOf(IoManager.Props(settings ?? IoSettings.Default), "io");
    }

    protected IActorRef Io { get; }

    /// <summary>Connects a registered client to <paramref name="remote"/> through <paramref name="io"/> (<see cref="Io"/> when null).</summary>
    protected async Task<(TestProbe Client, IActorRef Connection, SockStream.Connected Connected)> ConnectAsync(
        Endpoint remote, SocketOptions? options = null, IActorRef? io = null)
    {
        var client = CreateTestProbe();
        (io ?? Io).Tell(new SockStream.Connect(remote, Options: options), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>();
        var connection = client.LastSender;
        connection.Tell(SockStream.Register.Instance, client.Ref);
        return (client, connection, connected);
    }

    /// <summary>
    /// Connects a new client probe to a listener whose handler is <paramref name="server"/>, waits for both sides'
    /// <see cref="SockStream.Connected"/> and registers each side's probe as its handler: the client with the default
    /// <see cref="SockStream.Register"/>, the server with <paramref name="serverRegister"/> (the default when null).
    /// </summary>
    protected async Task<(TestProbe Client, IActorRef ClientConnection, SockStream.Connected ClientConnected, IActorRef ServerConnection, SockStream.Connected ServerConnected)>
        ConnectPairAsync(TestProbe server, Endpoint local, SockStream.Register? serverRegister = null)
    {
        var client = CreateTestProbe();
        Io.Tell(new SockStream.Connect(local), client.Ref);
        var clientConnected = await client.ExpectMsgAsync<SockStream.Connected>();
        var clientConnection = client.LastSender;
        var serverConnected = await server.ExpectMsgAsync<SockStream.Connected>();
        var serverConnection = server.LastSender;
        clientConnection.Tell(SockStream.Register.Instance, client.Ref);
        serverConnection.Tell(serverRegister ?? SockStream.Register.Instance, server.Ref);
        return (client, clientConnection, clientConnected, serverConnection, serverConnected);
    }

    /// <summary>Binds a stream listener (default <c>tcp:127.0.0.1:0</c>) with a probe as its handler.</summary>
    protected async Task<(TestProbe Handler, IActorRef Listener, Endpoint Local)> BindAsync(Endpoint? endpoint = null, SocketOptions? options = null)
    {
        var handler = CreateTestProbe();
        Io.Tell(new SockStream.Bind(endpoint ?? Endpoint.Parse("tcp:127.0.0.1:0"), Options: options), handler.Ref);
        var bound = await handler.ExpectMsgAsync<SockStream.Bound>();
        var listener = handler.LastSender;
        return (handler, listener, bound.LocalAddress);
    }

    /// <summary>
    /// The actors that <paramref name="path"/> (with wildcards, e.g. <c>io/*/*</c>) selects now: exactly
    /// <paramref name="expected"/> of them answer Identify, and no other answer follows within a short wait.
    /// </summary>
    protected async Task<IReadOnlyList<IActorRef>> IdentifyAsync(ActorPath path, int expected)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection(path).Tell(new Identify(path), probe.Ref);
        var found = new List<IActorRef>();
        for (var i = 0; i < expected; i++)
        {
            var identity = await probe.ExpectMsgAsync<ActorIdentity>();
            Assert.NotNull(identity.Subject);
            found.Add(identity.Subject);
        }
        await probe.ExpectNoMsgAsync(TimeSpan.FromMilliseconds(300));
        return found;
    }

    /// <summary>The one actor at <paramref name="path"/> (no wildcards), through ActorSelection and Identify.</summary>
    protected async Task<IActorRef> IdentifyOneAsync(ActorPath path)
    {
        var probe = CreateTestProbe();
        Sys.ActorSelection(path).Tell(new Identify(path), probe.Ref);
        var identity = await probe.ExpectMsgAsync<ActorIdentity>();
        Assert.True(identity.Subject is not null, $"nothing at {path}");
        return identity.Subject;
    }

    /// <summary>
    /// Watches <paramref name="connection"/> and expects its Terminated as the probe's next message: whatever the
    /// connection sent before it stopped is queued ahead of it, so a second close event would come first.
    /// </summary>
    protected static async Task ExpectStoppedWithNothingMoreAsync(TestProbe probe, IActorRef connection)
    {
        probe.Watch(connection);
        await probe.ExpectTerminatedAsync(connection);
    }
}
