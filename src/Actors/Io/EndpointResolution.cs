using System.Net;
using Agent.Actors.Kernel;
using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>
/// Resolves an actor's endpoints off its turn (a name needs a lookup through the IO manager's
/// <see cref="IAddressResolver"/>) and tells the owning actor the outcome as <see cref="Resolved"/>
/// or <see cref="Failed"/>. Literals resolve at once, so the tell happens before this returns.
/// </summary>
internal static class EndpointResolution
{
    /// <summary>Resolves <paramref name="endpoint"/> and, when given, the <paramref name="local"/> address to bind first; tells <paramref name="self"/> the result.</summary>
    public static async Task ResolveInto(Endpoint endpoint, Endpoint? local, IAddressResolver resolver, SelfMailbox self)
    {
        try
        {
            var address = await SocketFactory.ResolveAsync(endpoint, resolver).ConfigureAwait(false);
            var localAddress = local is { } bindFirst ? await SocketFactory.ResolveAsync(bindFirst, resolver).ConfigureAwait(false) : null;
            self.Tell(new Resolved(address, localAddress), ActorRefs.NoSender);
        }
        catch (EndpointResolutionException e)
        {
            self.Tell(new Failed(e.Error), ActorRefs.NoSender);
        }
    }

    /// <summary>The endpoint resolved to <paramref name="Address"/>; the local endpoint, if one was given, to <paramref name="Local"/>.</summary>
    public sealed record Resolved(EndPoint Address, EndPoint? Local);

    /// <summary>An endpoint did not resolve, in Python's words.</summary>
    public sealed record Failed(PythonError Error);
}
