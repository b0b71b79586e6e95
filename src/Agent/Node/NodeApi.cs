using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Cluster;
using Akka.Actor;
using Akka.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agent.Node;

/// <summary>
/// The node's HTTP API (docs/api.md): <c>GET /api/nodes</c> (the members), <c>GET /health/live</c> (the process
/// answers) and <c>GET /health/ready</c> (an Up member with every configured service bound; 503 otherwise, saying
/// what is not). With a token configured every request must carry <c>Authorization: Bearer TOKEN</c>, compared in
/// constant time; otherwise 401. Every answer is JSON.
/// </summary>
internal static class NodeApi
{
    /// <summary>How long a handler waits for an actor's answer before it answers 503.</summary>
    public static readonly TimeSpan ActorTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the endpoints and the token check onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, NodeOptions.ApiSection options)
    {
        if (options.Token is { Length: > 0 } token)
        {
            var expected = SHA256.HashData(Encoding.UTF8.GetBytes(token));
            app.Use(async (context, next) =>
            {
                if (!Authorized(context.Request.Headers.Authorization.ToString(), expected))
                {
                    context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Write(context, StatusCodes.Status401Unauthorized, Error("Unauthorized", "a bearer token is required (Authorization: Bearer TOKEN)"));
                    return;
                }
                await next(context);
            });
        }
        app.MapGet("/health/live", () => Json(StatusCodes.Status200OK, new JsonObject { ["live"] = true }));
        app.MapGet("/health/ready", async (IRequiredActor<NodeReporter> reporter, CancellationToken cancel) =>
        {
            var readiness = await (await reporter.GetAsync(cancel)).Ask<NodeReporter.Readiness>(NodeReporter.GetReadiness.Instance, ActorTimeout, cancel);
            var services = new JsonArray();
            foreach (var service in readiness.Services)
            {
                services.Add(new JsonObject
                {
                    ["endpoint"] = service.Endpoint,
                    ["state"] = service.State,
                    ["local"] = service.Local,
                    ["reason"] = service.Reason,
                });
            }
            return Json(readiness.Ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable,
                new JsonObject { ["ready"] = readiness.Ready, ["member_up"] = readiness.MemberUp, ["services"] = services });
        });
        app.MapGet("/api/nodes", async (IRequiredActor<MemberDirectory> directory, CancellationToken cancel) =>
        {
            var list = await (await directory.GetAsync(cancel)).Ask<MemberDirectory.MemberList>(MemberDirectory.GetMembers.Instance, ActorTimeout, cancel);
            return Json(StatusCodes.Status200OK, NodesJson(list));
        });
    }

    /// <summary>The body of <c>GET /api/nodes</c>.</summary>
    public static JsonObject NodesJson(MemberDirectory.MemberList list)
    {
        var members = new JsonArray();
        foreach (var member in list.Members)
        {
            var labels = new JsonObject();
            foreach (var (key, value) in member.Labels.OrderBy(label => label.Key, StringComparer.Ordinal))
            {
                labels[key] = value;
            }
            members.Add(new JsonObject
            {
                ["name"] = member.Name,
                ["address"] = member.Address,
                ["status"] = member.Status,
                ["reachable"] = member.Reachable,
                ["labels"] = labels,
                ["up_since"] = member.UpSince?.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture),
            });
        }
        return new JsonObject { ["self"] = list.Self, ["members"] = members };
    }

    /// <summary>The error object every failure answers with (the CLI's shape).</summary>
    public static JsonObject Error(string error, string message) =>
        new() { ["error"] = error, ["errno"] = null, ["strerror"] = message };

    // Hashing both sides gives equal lengths, so the comparison's time says nothing about the token.
    private static bool Authorized(string header, byte[] expected) =>
        header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), expected);

    private static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static Task Write(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
