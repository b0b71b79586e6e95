using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io.Echo;

/// <summary>Told to an echo service's observer each time the service has bound (again): what was asked and what the OS gave.</summary>
/// <param name="Requested">The configured endpoint.</param>
/// <param name="Socket">The bound socket (real port, family).</param>
public sealed record EchoServiceBound(Endpoint Requested, SocketInfo Socket)
{
    /// <summary>The line <c>agent run</c> prints: <c>listening tcp 127.0.0.1:10000</c>.</summary>
    public string ListeningLine()
    {
        var local = Socket.Local;
        var where = local.IsUnix ? local.Path : local.ToString()[(Endpoint.SchemeOf(local.Kind).Length + 1)..];
        return $"listening {Endpoint.SchemeOf(local.Kind)} {where}";
    }
}
