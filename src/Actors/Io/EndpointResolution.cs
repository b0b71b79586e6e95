using System.Net;
using Agent.Actors.Kernel;
using Agent.Messages;

namespace Agent.Actors.Io;

/// <summary>
/// Resolves a bind endpoint off the actor's turn (a name may need a lookup) and tells the
/// owning actor the outcome as <see cref="Resolved"/> or <see cref="Failed"/>.
/// </summary>
internal static class EndpointResolution
{
    /// <summary>Resolves <paramref name="endpoint"/> and tells <paramref name="self"/> the result.</summary>
    public static async Task ResolveInto(Endpoint endpoint, SelfMailbox self)
    {
        try
        {
            self.Tell(new Resolved(await SocketFactory.ResolveAsync(endpoint).ConfigureAwait(false)), ActorRefs.NoSender);
        }
        catch (EndpointResolutionException e)
        {
            self.Tell(new Failed(e.Error), ActorRefs.NoSender);
        }
    }

    /// <summary>The endpoint resolved to this address.</summary>
    public sealed record Resolved(EndPoint Address);

    /// <summary>The endpoint did not resolve, in Python's words.</summary>
    public sealed record Failed(PythonError Error);
}
