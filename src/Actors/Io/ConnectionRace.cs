using System.Net.Sockets;
using Agent.Actors.Kernel;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>
/// Runs one <see cref="SockStream.CreateConnection"/>: resolves the host through an <see cref="IAddressResolver"/>,
/// races the candidates (<see cref="HappyEyeballs"/>), and hands the winner to a new
/// <see cref="StreamConnection"/> (a sibling under the IO manager), which replies <see cref="SockStream.Connected"/>
/// with every attempt; otherwise replies <see cref="SockStream.CommandFailed"/> with the attempts. Then stops.
/// </summary>
public sealed class ConnectionRace : ReceiveActor
{
    private readonly IActorRef _commander;
    private readonly SockStream.CreateConnection _command;
    private readonly IoSettings _settings;
    private readonly IAddressResolver _resolver;
    private readonly CancellationTokenSource _cancel = new();

    private ConnectionRace(IActorRef commander, SockStream.CreateConnection command, IoSettings settings, IAddressResolver resolver)
    {
        _commander = commander;
        _command = command;
        _settings = settings;
        _resolver = resolver;
        Receive<Finished>(OnFinished);
    }

    /// <summary>Props for one create_connection run.</summary>
    public static Props Props(IActorRef commander, SockStream.CreateConnection command, IoSettings settings, IAddressResolver resolver) =>
        Kernel.Props.FromFactory(() => new ConnectionRace(commander, command, settings, resolver));

    /// <summary>Handed to the IO manager: start a connection actor over a socket that won the race.</summary>
    internal sealed record Adopt(Socket Socket, IActorRef Commander, SocketOptions? Options, IReadOnlyList<SockStream.ConnectAttempt> Attempts);

    /// <inheritdoc />
    protected internal override void PreStart()
    {
        if (_command.Timeout is { } timeout)
        {
            _cancel.CancelAfter(timeout);
        }
        _ = RunAsync(Self);
    }

    /// <inheritdoc />
    protected internal override void PostStop()
    {
        _cancel.Cancel();
        _cancel.Dispose();
    }

    private async Task RunAsync(IActorRef self)
    {
        if (_command.Port is < 0 or > 65535)
        {
            self.Tell(new Finished(null, [], new PythonError("OverflowError", null, "connect(): port must be 0-65535.")), ActorRefs.NoSender);
            return;
        }
        IReadOnlyList<System.Net.IPAddress> addresses;
        try
        {
            addresses = HappyEyeballs.Interleave(await _resolver.ResolveAsync(_command.Host, _cancel.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException)
        {
            self.Tell(new Finished(null, [], OsErrors.TimedOut), ActorRefs.NoSender);
            return;
        }
        catch (AddressResolutionException e)
        {
            self.Tell(new Finished(null, [], e.Error), ActorRefs.NoSender);
            return;
        }
        var result = await HappyEyeballs.RaceAsync(
            addresses, _command.Port, _command.AttemptDelay ?? _settings.ConnectionAttemptDelay,
            (target, token) => HappyEyeballs.ConnectOneAsync(target, _command.Options, token),
            _cancel.Token).ConfigureAwait(false);
        self.Tell(new Finished(result.Socket, result.Attempts, result.Error), ActorRefs.NoSender);
    }

    private void OnFinished(Finished finished)
    {
        if (finished.Socket is { } socket)
        {
            Context.Parent.Tell(new Adopt(socket, _commander, _command.Options, finished.Attempts), Self);
        }
        else
        {
            _commander.Tell(new SockStream.CommandFailed(_command, finished.Error ?? OsErrors.TimedOut, finished.Attempts), Self);
        }
        Context.Stop(Self);
    }

    private sealed record Finished(Socket? Socket, IReadOnlyList<SockStream.ConnectAttempt> Attempts, PythonError? Error);
}
