using Agent.Actors.Io;
using Agent.Actors.Resolution;
using Agent.Cli;
using Agent.Clients;
using Agent.Messages;
using Agent.Messages.Io;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;
using Akka.Actor;

namespace Agent.Node;

/// <summary>
/// The node's request actor (<c>/user/requests</c> on every node): runs what another node's API fans out (<c>agent ...
/// --on NODE</c>) here, with this node's resolver, sockets and interfaces, and answers the asker exactly once with the
/// same result records the local command prints: a lookup (<see cref="LookupProbe"/>) goes to the node's resolver and is
/// answered <see cref="Resolved"/> or <see cref="ResolutionFailed"/> (TimeoutError once its timeout passes); <see cref="AddrCall"/> is answered
/// <see cref="AddrAnswer"/>; <see cref="EchoProbe"/> <see cref="EchoReport"/>; <see cref="ConnectProbe"/>
/// <see cref="ConnectReport"/>. Each exchange runs in a child of its own, so requests run concurrently. Requests come from
/// the network: each is checked against the same bounds the CLI applies before anything runs.
/// </summary>
internal sealed class RequestActor : ReceiveActor
{
    /// <summary>The actor's name under <c>/user</c>, the same on every node.</summary>
    public const string Name = "requests";

    /// <summary>Answers requests with <paramref name="io"/> (sockets) and <paramref name="resolver"/> (a ResolverActor).</summary>
    public RequestActor(IActorRef io, IActorRef resolver)
    {
        Receive<LookupProbe>(probe =>
        {
            var problem = NativeLookups.ArgumentProblem(probe.Request)
                ?? (probe.Timeout <= TimeSpan.Zero || probe.Timeout > MaxTimeout ? $"timeout must be above zero and at most {MaxTimeout.TotalSeconds} s" : null);
            if (problem is not null)
            {
                Sender.Tell(new ResolutionFailed(probe.Request, new PythonError("ValueError", null, problem)));
                return;
            }
            Context.ActorOf(Akka.Actor.Props.Create(() => new LookupOnce(resolver, probe, Sender)));
        });
        Receive<AddrCall>(call => Sender.Tell(AddrCommand.Call(call)));
        Receive<EchoProbe>(probe =>
        {
            var problem = EchoProbe.SizeProblem(probe.Payload.Length, probe.Chunk)
                ?? EchoCommand.Problem(probe.Target, probe.Payload.Length, probe.Chunk, probe.Timeout.TotalSeconds);
            if (problem is not null)
            {
                Sender.Tell(new EchoReport(null, [], 0, new PythonError("ValueError", null, problem)));
                return;
            }
            var done = new TaskCompletionSource<EchoOutcome>(TaskCreationOptions.RunContinuationsAsynchronously);
            Context.ActorOf(EchoClient.Props(io, probe.Target, probe.Payload.ToArray(), probe.Chunk, probe.Timeout, static () => { }, static _ => { }, done));
            done.Task.PipeTo(Sender,
                success: outcome => new EchoReport(outcome.Socket, [.. outcome.Chunks.Select(chunk => (ReadOnlyMemory<byte>)chunk)], outcome.RttMs, outcome.Error),
                failure: e => new EchoReport(null, [], 0, OsErrors.FromException(e)));
        });
        Receive<ConnectProbe>(probe =>
        {
            var problem = ConnectCommand.Problem(probe.Port, probe.Timeout.TotalSeconds) ?? HostNameEncoding.ArgumentProblem(probe.Host);
            if (problem is not null)
            {
                Sender.Tell(new ConnectReport(null, [], new PythonError("ValueError", null, problem)));
                return;
            }
            Context.ActorOf(Akka.Actor.Props.Create(() => new ConnectOnce(io, probe, Sender)));
        });
    }

    /// <summary>The longest timeout a request may ask for, as the local commands allow.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(1);

    /// <summary>
    /// One lookup through the node's resolver, answered with the resolver's reply or, once the asker's timeout passes,
    /// Python's TimeoutError as the local command's resolver gives it.
    /// </summary>
    private sealed class LookupOnce : ReceiveActor
    {
        public LookupOnce(IActorRef resolver, LookupProbe probe, IActorRef asker)
        {
            Context.SetReceiveTimeout(probe.Timeout);
            resolver.Tell(probe.Request, Self);
            Receive<Resolved>(reply => Answer(asker, reply));
            Receive<ResolutionFailed>(reply => Answer(asker, reply));
            Receive<ReceiveTimeout>(_ => Answer(asker, new ResolutionFailed(probe.Request,
                new PythonError(ResolutionFailed.TimeoutKind, null, $"lookup timed out after {probe.Timeout.TotalMilliseconds:0} ms"))));
        }

        private void Answer(IActorRef asker, object reply)
        {
            asker.Tell(reply);
            Context.Stop(Self);
        }
    }

    /// <summary>
    /// One create_connection: the handler of the connection it makes, which closes when this actor stops after answering.
    /// The connection race always answers (Connected or CommandFailed, within the timeout); the receive timeout only
    /// guards against a bug there, so the asker is answered whatever happens.
    /// </summary>
    private sealed class ConnectOnce : ReceiveActor
    {
        public ConnectOnce(IActorRef io, ConnectProbe probe, IActorRef asker)
        {
            Context.SetReceiveTimeout(probe.Timeout + TimeSpan.FromSeconds(5));
            io.Tell(new SockStream.CreateConnection(probe.Host, probe.Port, probe.Timeout), Self);
            Receive<SockStream.Connected>(connected => Answer(asker, new ConnectReport(connected.Socket, connected.Attempts ?? [], null)));
            Receive<SockStream.CommandFailed>(failed => Answer(asker, new ConnectReport(null, failed.Attempts ?? [], failed.Cause)));
            Receive<ReceiveTimeout>(_ => Answer(asker, new ConnectReport(null, [], OsErrors.TimedOut)));
        }

        private void Answer(IActorRef asker, ConnectReport report)
        {
            asker.Tell(report);
            Context.Stop(Self);
        }
    }
}
