using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Agent.Actors.Cluster;
using Agent.Actors.Resolution;
using Agent.Cli;
using Agent.Messages;
using Agent.Messages.Requests;
using Agent.Messages.Resolution;

namespace Agent.Node;

/// <summary>
/// The request a node's API fans out to its members (<c>POST /api/requests/KIND</c>, docs/api.md): its <c>request</c>
/// member is the wire message itself, in the System.Text.Json contract of <c>Agent.Messages</c>. One place turns a
/// message into that JSON (the CLI's <c>--on</c>) and back, strictly (an unknown or missing field is refused, naming
/// its path), checks it as the local command would, and knows how each node's answer prints.
/// </summary>
internal static class RemoteRequests
{
    /// <summary>The kinds of request, as the URL names them.</summary>
    public static readonly IReadOnlyList<string> Kinds = ["lookup", "addr", "echo", "connect"];

    private static readonly ResolutionJsonContext StrictResolution = new(Strict(ResolutionJsonContext.Default.Options));
    private static readonly RequestsJsonContext StrictRequests = new(Strict(RequestsJsonContext.Default.Options));

    /// <summary>A parsed request: the message for each node, how a node's answer to it prints, and its own timeout if it has one.</summary>
    public sealed record Parsed(object Message, Func<object, CommandOutput> Render, TimeSpan? Timeout = null);

    /// <summary>The <c>request</c> JSON of a lookup.</summary>
    public static JsonNode Body(ResolutionRequest request) => JsonSerializer.SerializeToNode(request, StrictResolution.ResolutionRequest)!;

    /// <summary>The <c>request</c> JSON of an address conversion.</summary>
    public static JsonNode Body(AddrCall call) => JsonSerializer.SerializeToNode(call, StrictRequests.AddrCall)!;

    /// <summary>The <c>request</c> JSON of an echo exchange.</summary>
    public static JsonNode Body(EchoProbe probe) => JsonSerializer.SerializeToNode(probe, StrictRequests.EchoProbe)!;

    /// <summary>The <c>request</c> JSON of a create_connection.</summary>
    public static JsonNode Body(ConnectProbe probe) => JsonSerializer.SerializeToNode(probe, StrictRequests.ConnectProbe)!;

    /// <summary>Reads and checks the <c>request</c> of <paramref name="kind"/>; <paramref name="problem"/> says what is wrong otherwise.</summary>
    public static Parsed? Parse(string kind, JsonNode? request, TimeSpan timeout, out string? problem)
    {
        problem = null;
        if (request is not JsonObject)
        {
            problem = "request: an object is required";
            return null;
        }
        try
        {
            switch (kind)
            {
                case "lookup":
                    var lookup = Read(request, StrictResolution.ResolutionRequest);
                    problem = NativeLookups.ArgumentProblem(lookup);
                    return problem is null
                        ? new Parsed(new LookupProbe(lookup, timeout), reply => reply is Resolved or ResolutionFailed ? CliResolver.Render(lookup, reply) : Unexpected(reply))
                        : null;
                case "addr":
                    var call = Read(request, StrictRequests.AddrCall);
                    // The arguments are node-independent: refused here, they would be refused by every node.
                    if (AddrCommand.Call(call) is { BadArgument: true, Error: { } refused })
                    {
                        problem = refused.Strerror;
                        return null;
                    }
                    return new Parsed(call, Expect<AddrAnswer>(AddrCommand.Render));
                case "echo":
                    var probe = Read(request, StrictRequests.EchoProbe);
                    // The Unix directory is the target node's to check, not this one's.
                    problem = EchoProbe.SizeProblem(probe.Payload.Length, probe.Chunk)
                        ?? EchoCommand.Problem(probe.Target, probe.Payload.Length, probe.Chunk, probe.Timeout.TotalSeconds, checkDirectory: false);
                    return problem is null ? new Parsed(probe, Expect<EchoReport>(report => EchoCommand.Render(probe.Target, probe.Payload.ToArray(), report)), probe.Timeout) : null;
                case "connect":
                    var connect = Read(request, StrictRequests.ConnectProbe);
                    problem = ConnectCommand.Problem(connect.Port, connect.Timeout.TotalSeconds) ?? HostNameEncoding.ArgumentProblem(connect.Host);
                    return problem is null ? new Parsed(connect, Expect<ConnectReport>(report => ConnectCommand.Render(connect.Host, connect.Port, report)), connect.Timeout) : null;
                default:
                    problem = $"unknown request kind '{Endpoint.Escaped(kind)}' (one of {string.Join(", ", Kinds)})";
                    return null;
            }
        }
        catch (JsonException e)
        {
            // The path names the field; the exception's own message would name .NET types.
            problem = $"request: missing, unknown or invalid field at {Endpoint.Escaped(e.Path ?? "$")}";
            return null;
        }
    }

    // A node answers with its protocol's record; anything else (a bug, or a node of another version) is a failure to show.
    private static Func<object, CommandOutput> Expect<T>(Func<T, CommandOutput> render) =>
        reply => reply is T answer ? render(answer) : Unexpected(reply);

    private static CommandOutput Unexpected(object reply) =>
        CommandOutput.Failure(new PythonError("OSError", null, $"the node answered with an unexpected {reply.GetType().Name}"));

    private static T Read<T>(JsonNode node, JsonTypeInfo<T> contract) =>
        node.Deserialize(contract) ?? throw new JsonException("null", "$", null, null);

    // The wire's strictness, and more: an API caller's unknown field (a typo) is refused, where the wire lets a newer
    // node add one.
    private static JsonSerializerOptions Strict(JsonSerializerOptions defaults) =>
        new(WireSerializer.Strict(defaults)) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow };
}
