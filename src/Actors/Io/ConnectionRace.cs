using System.Net;
using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// Runs one <see cref="SockStream.CreateConnection"/>: resolves the host through an <see cref="IAddressResolver"/>,
/// races the candidates (<see cref="HappyEyeballs"/>), and hands the winner to a new
/// <see cref="StreamConnection"/> (a sibling under the IO manager), which replies <see cref="SockStream.Connected"/>
/// with every attempt; otherwise replies <see cref="SockStream.CommandFailed"/> with the attempts. Then stops.
/// A socket that wins after this actor has stopped is closed, never leaked.
/// </summary>
public sealed class ConnectionRace : ReceiveActor
{
    private readonly IActorRef _commander;
    private readonly SockStream.CreateConnection _command;
    private readonly IoSettings _settings;
    private readonly IAddressResolver _resolver;
    private readonly Func<IPEndPoint, CancellationToken, Task<Socket>> _connect;
    // Not disposed: the race may still read its token after this actor stopped; cancelling is what matters.
    private readonly CancellationTokenSource _cancel = new();
    private readonly Handoff<Socket> _winner = new();

    private ConnectionRace(IActorRef commander, SockStream.CreateConnection command, IoSettings settings, IAddressResolver resolver,
        Func<IPEndPoint, CancellationToken, Task<Socket>>? connect)
    {
        _commander = commander;
        _command = command;
        _settings = settings;
        _resolver = resolver;
        _connect = connect ?? ((target, token) => HappyEyeballs.ConnectOneAsync(target, command.Options, token));
        Receive<Finished>(OnFinished);
    }

    /// <summary>Props for one create_connection run.</summary>
    public static Props Props(IActorRef commander, SockStream.CreateConnection command, IoSettings settings, IAddressResolver resolver) =>
        Props(commander, command, settings, resolver, connect: null);

    /// <summary>As <see cref="Props(IActorRef, SockStream.CreateConnection, IoSettings, IAddressResolver)"/>, with each attempt opened by <paramref name="connect"/>.</summary>
    internal static Props Props(IActorRef commander, SockStream.CreateConnection command, IoSettings settings, IAddressResolver resolver,
        Func<IPEndPoint, CancellationToken, Task<Socket>>? connect) =>
        FactoryProps.Of(() => new ConnectionRace(commander, command, settings, resolver, connect));

    /// <summary>Handed to the IO manager: start a connection actor over a socket that won the race.</summary>
    internal sealed record Adopt(Socket Socket, IActorRef Commander, SocketOptions? Options, IReadOnlyList<SockStream.ConnectAttempt> Attempts)
        : INoSerializationVerificationNeeded;

    /// <inheritdoc />
    protected override void PreStart()
    {
        if (_command.Timeout is { } timeout)
        {
            _cancel.CancelAfter(timeout);
        }
        RunAsync(_cancel.Token).PipeTo(Self, failure: static e => new Finished([], EndpointResolution.ToError(e)));
    }

    /// <inheritdoc />
    protected override void PostStop()
    {
        _cancel.Cancel();
        _winner.Close();
    }

    private async Task<Finished> RunAsync(CancellationToken cancellationToken)
    {
        if (_command.Port is < 0 or > 65535)
        {
            return new Finished([], new PythonError("OverflowError", null, "connect(): port must be 0-65535."));
        }
        IReadOnlyList<IPAddress> addresses;
        try
        {
            addresses = HappyEyeballs.Interleave(await _resolver.ResolveAsync(_command.Host, cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            return new Finished([], OsErrors.TimedOut);
        }
        var result = await HappyEyeballs.RaceAsync(
            addresses, _command.Port, _command.AttemptDelay ?? _settings.ConnectionAttemptDelay, _connect, cancellationToken).ConfigureAwait(false);
        if (result.Socket is { } socket)
        {
            _winner.Offer(socket);
        }
        return new Finished(result.Attempts, result.Error);
    }

    private void OnFinished(Finished finished)
    {
        if (_winner.Take() is { } socket)
        {
            Context.Parent.Tell(new Adopt(socket, _commander, _command.Options, finished.Attempts), Self);
        }
        else
        {
            _commander.Tell(new SockStream.CommandFailed(_command, finished.Error ?? OsErrors.TimedOut, finished.Attempts), Self);
        }
        Context.Stop(Self);
    }

    private sealed record Finished(IReadOnlyList<SockStream.ConnectAttempt> Attempts, PythonError? Error) : ISelfMessage;
}
