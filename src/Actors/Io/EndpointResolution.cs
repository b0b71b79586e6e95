using System.Net;
using Agent.Messages;
using Akka.Actor;

namespace Agent.Actors.Io;

/// <summary>
/// Resolves an actor's endpoints off its turn (a name needs a lookup through the IO manager's
/// <see cref="IAddressResolver"/>) and pipes exactly one outcome to the owning actor:
/// <see cref="Resolved"/> or <see cref="Failed"/>, whatever the resolver threw.
/// </summary>
internal static class EndpointResolution
{
    /// <summary>Resolves <paramref name="endpoint"/> and, when given, the <paramref name="local"/> address to bind first; tells <paramref name="self"/> the result.</summary>
    public static void ResolveInto(Endpoint endpoint, Endpoint? local, IAddressResolver resolver, IActorRef self) =>
        ResolveAsync(endpoint, local, resolver).PipeTo(self, success: static r => r, failure: static e => new Failed(ToError(e)));

    /// <summary>A resolver failure in Python's words: its gaierror, a timeout for an unanswered ask, else the OS error.</summary>
    public static PythonError ToError(Exception error) => error switch
    {
        EndpointResolutionException e => e.Error,
        AddressResolutionException e => e.Error,
        AskTimeoutException => new PythonError(Agent.Messages.Resolution.ResolutionFailed.TimeoutKind, null, "the resolver did not answer in time"),
        _ => OsErrors.FromException(error),
    };

    private static async Task<Resolved> ResolveAsync(Endpoint endpoint, Endpoint? local, IAddressResolver resolver)
    {
        var address = await SocketFactory.ResolveAsync(endpoint, resolver).ConfigureAwait(false);
        var localAddress = local is { } bindFirst ? await SocketFactory.ResolveAsync(bindFirst, resolver).ConfigureAwait(false) : null;
        return new Resolved(address, localAddress);
    }

    /// <summary>The endpoint resolved to <paramref name="Address"/>; the local endpoint, if one was given, to <paramref name="Local"/>.</summary>
    public sealed record Resolved(EndPoint Address, EndPoint? Local) : ISelfMessage;

    /// <summary>An endpoint did not resolve, in Python's words.</summary>
    public sealed record Failed(PythonError Error) : ISelfMessage;
}
