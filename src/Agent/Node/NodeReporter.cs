using Agent.Actors.Cluster;
using Agent.Actors.Io.Echo;
using Agent.Messages;
using Akka.Actor;
using Microsoft.Extensions.Hosting;

namespace Agent.Node;

/// <summary>
/// What the node's services and its member directory report, turned into the CLI contract of <c>agent run</c> and
/// kept for the API's readiness: a <c>listening ...</c> line on stdout each time an echo service binds, a
/// <c>member NAME up at ADDRESS</c> line once this node is Up; for a service that gave up or a name already taken,
/// one line on stderr and the node stopped with exit status 1. Answers <see cref="GetReadiness"/>.
/// </summary>
internal sealed class NodeReporter : ReceiveActor
{
    // The services by position: two may have one endpoint (tcp:127.0.0.1:0 twice: each its own free port).
    private readonly ServiceState[] _services;
    private bool _up;

    /// <summary>Reports to <paramref name="stdout"/> and <paramref name="stderr"/>; a failure sets <paramref name="exit"/> and stops <paramref name="lifetime"/>.</summary>
    public NodeReporter(IReadOnlyList<Endpoint> services, TextWriter stdout, TextWriter stderr, ExitStatus exit, IHostApplicationLifetime lifetime)
    {
        _services = [.. services.Select(endpoint => new ServiceState(endpoint.ToString(), "binding", null, null))];
        Receive<EchoServiceBound>(bound =>
        {
            Set("bound", bound.Socket.Local.ToString(), null);
            stdout.WriteLine(bound.ListeningLine());
            stdout.Flush();
        });
        Receive<EchoServiceRetrying>(retrying => Set("retrying", null, retrying.Reason));
        Receive<EchoServiceFailed>(failed =>
        {
            Set("failed", null, failed.Cause.ToString());
            Fail(stderr, exit, lifetime, $"echo {failed.Requested}: {failed.Cause}");
        });
        Receive<MemberDirectory.SelfUp>(up =>
        {
            _up = true;
            stdout.WriteLine($"member {up.Name} up at {up.Address}");
            stdout.Flush();
        });
        Receive<MemberDirectory.NameTaken>(taken => Fail(stderr, exit, lifetime,
            $"the node name '{taken.Name}' is taken by {taken.Holder}; this node ({taken.Self}) leaves the cluster"));
        Receive<GetReadiness>(_ => Sender.Tell(new Readiness(_up && _services.All(s => s.State == "bound"), _up, [.. _services])));
    }

    /// <summary>The name of the service at <paramref name="index"/> under <c>/user</c>; its reports come from within it.</summary>
    public static string ServiceName(int index) => $"echo-{index}";

    // The service whose report this is: the one under /user/echo-N the sender is (or is within).
    private void Set(string state, string? local, string? reason)
    {
        var elements = Sender.Path.Elements;
        if (elements.Count >= 2 && elements[0] == "user" && elements[1].StartsWith("echo-", StringComparison.Ordinal)
            && int.TryParse(elements[1].AsSpan(5), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var index)
            && index < _services.Length)
        {
            _services[index] = _services[index] with { State = state, Local = local, Reason = reason };
        }
    }

    private static void Fail(TextWriter stderr, ExitStatus exit, IHostApplicationLifetime lifetime, string message)
    {
        stderr.WriteLine($"agent: {message}");
        stderr.Flush();
        exit.Code = Cli.ExitCodes.Failure;
        lifetime.StopApplication();
    }

    /// <summary>Asks whether the node is ready; the reply is <see cref="Readiness"/>.</summary>
    public sealed record GetReadiness
    {
        /// <summary>The only value.</summary>
        public static GetReadiness Instance { get; } = new();
    }

    /// <summary>The node is ready when it is an Up member and every configured service is bound.</summary>
    /// <param name="Ready">Whether it is.</param>
    /// <param name="MemberUp">Whether this node is an Up cluster member.</param>
    /// <param name="Services">Each configured service.</param>
    public sealed record Readiness(bool Ready, bool MemberUp, IReadOnlyList<ServiceState> Services);

    /// <summary>One configured echo service.</summary>
    /// <param name="Endpoint">As configured.</param>
    /// <param name="State"><c>binding</c> (not bound yet), <c>bound</c>, <c>retrying</c> (binding again after a pause) or <c>failed</c> (gave up).</param>
    /// <param name="Local">The bound address while bound.</param>
    /// <param name="Reason">Why it is not bound, when it failed or retries.</param>
    public sealed record ServiceState(string Endpoint, string State, string? Local, string? Reason);
}

/// <summary>The node's exit status, set by whatever ends it abnormally (0 when nothing did).</summary>
internal sealed class ExitStatus
{
    /// <summary>The status <c>agent run</c> exits with.</summary>
    public int Code { get; set; } = Cli.ExitCodes.Success;

    /// <summary>
    /// Why the actor system shut down, in one line, when it was not the host that stopped it (SIGTERM, Ctrl-C, a reported
    /// failure: the node's <see cref="CoordinatedShutdown.ClrExitReason"/>); null when it was, or nothing did.
    /// </summary>
    public static string? Unexpected(CoordinatedShutdown.Reason? reason) => reason switch
    {
        null or CoordinatedShutdown.ClrExitReason => null,
        CoordinatedShutdown.ClusterDowningReason => "the cluster downed this node (the other members could not reach it); it stopped",
        CoordinatedShutdown.ClusterLeavingReason => "this node left the cluster; it stopped",
        // Akka.Remote's reason is internal: a TLS handshake failed on a connection this node opened, which ends the node.
        _ when reason.GetType().Name == "TlsHandshakeFailureReason" =>
            $"{reason} (the log above says whose certificate was refused and why); Akka.Remote stops a node whose outbound TLS handshake fails",
        _ => $"the actor system shut down: {reason}",
    };
}
