using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Agent.Actors.Cluster;
using Akka.Actor;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Agent.Node;

/// <summary>
/// The node's HTTP API (docs/api.md): <c>GET /api/nodes</c> (the members), <c>POST /api/requests/KIND</c> (a lookup,
/// address conversion, echo or connect run on chosen members at once, <see cref="RemoteRequests"/>), <c>GET /health/live</c>
/// (the process answers) and <c>GET /health/ready</c> (an Up member with every configured service bound; 503 otherwise,
/// saying what is not). With a token configured every request must carry <c>Authorization: Bearer TOKEN</c>, compared in
/// constant time; otherwise 401. Every answer is JSON.
/// </summary>
internal static class NodeApi
{
    /// <summary>How long a handler waits for an actor's answer before it answers 503.</summary>
    public static readonly TimeSpan ActorTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Maps the endpoints and the token check onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, NodeOptions.ApiSection options)
    {
        var loopback = HostPort.TryParse(options.Listen, out var listen, out _) && listen.IsLoopback;
        app.Use(async (context, next) =>
        {
            if (BrowserProblem(context.Request, loopback) is { } problem)
            {
                await Write(context, StatusCodes.Status403Forbidden, Error("Forbidden", problem));
                return;
            }
            if (HttpMethods.IsPost(context.Request.Method) && context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
            {
                await Write(context, StatusCodes.Status415UnsupportedMediaType, Error("UnsupportedMediaType", "a request body must be Content-Type: application/json"));
                return;
            }
            await next(context);
        });
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
        app.MapNodeMetrics();
        app.MapGet("/health/live", () => Json(StatusCodes.Status200OK, new JsonObject { ["live"] = true }));
        app.MapGet("/health/ready", async (NodeSystem node, CancellationToken cancel) =>
        {
            if (await AskAsync<NodeReporter.Readiness>(node.Reporter, NodeReporter.GetReadiness.Instance, cancel) is not { } readiness)
            {
                return Unavailable();
            }
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
        app.MapGet("/api/nodes", async (NodeSystem node, CancellationToken cancel) =>
        {
            return await AskAsync<MemberDirectory.MemberList>(node.Members, MemberDirectory.GetMembers.Instance, cancel) is { } list
                ? Json(StatusCodes.Status200OK, NodesJson(list))
                : Unavailable();
        });
        app.MapPost("/api/requests/{kind}", (string kind, HttpRequest request, NodeSystem node, CancellationToken cancel) =>
            RunAsync(kind, request, node.Members, node.System, cancel));
    }

    /// <summary>The longest <c>timeout</c> a request may give, in seconds: a day, as the local commands allow.</summary>
    public const double MaxTimeoutSeconds = 86_400;

    private static readonly string[] RequestFields = ["on", "timeout", "request"];

    // POST /api/requests/KIND {"on": "all" | ["NODE" or "KEY=VALUE", ...], "timeout": SECONDS, "request": {...}}: the request
    // run on each chosen member at once (a label chooses every member carrying it), one result per member, in the order
    // chosen (all and labels: the members' order).
    private static async Task<IResult> RunAsync(string kind, HttpRequest request, IActorRef directory, ActorSystem system,
        CancellationToken cancel)
    {
        var (fields, refusal) = await ReadObjectAsync(request, RequestFields, cancel);
        if (fields is null)
        {
            return refusal!;
        }
        var seconds = 10.0;
        if (fields["timeout"] is { } timeoutField && (timeoutField is not JsonValue value || !value.TryGetValue(out seconds) || seconds is not (> 0 and <= MaxTimeoutSeconds)))
        {
            return BadRequest($"timeout must be a number of seconds above 0 and at most {MaxTimeoutSeconds}");
        }
        var names = OnField(fields["on"]);
        if (names is null)
        {
            return BadRequest("on must be \"all\" or a list of node names and labels (KEY=VALUE)");
        }
        var parsed = RemoteRequests.Parse(kind, fields["request"], TimeSpan.FromSeconds(seconds), out var problem);
        if (parsed is null)
        {
            return BadRequest(problem ?? "request: invalid");
        }
        if (await AskAsync<MemberDirectory.MemberList>(directory, MemberDirectory.GetMembers.Instance, cancel) is not { } list)
        {
            return Unavailable();
        }
        if (Choose(list, names, out var notChosen) is not { } targets)
        {
            return notChosen!;
        }
        var timeout = TimeSpan.FromSeconds(seconds);
        if (parsed.Timeout is { } own && own > timeout)
        {
            timeout = own;
        }
        var results = new JsonArray();
        foreach (var (node, output) in await FanOut.AskAsync(system, targets, parsed.Message, parsed.Render, timeout, cancel))
        {
            results.Add(new JsonObject
            {
                ["node"] = node,
                ["exit"] = output.ExitCode,
                ["json"] = output.Json.DeepClone(),
                ["text"] = output.Text,
                ["error"] = output.Error,
            });
        }
        return Json(StatusCodes.Status200OK, new JsonObject { ["results"] = results });
    }

    /// <summary>
    /// The members <paramref name="selectors"/> choose ("all", node names, labels <c>KEY=VALUE</c>), each once, in the
    /// order chosen (all and labels: the members' order); null with the answer to give otherwise (an unknown node or a
    /// label no member has: 400; a name two members carry: 409; no members yet: 503).
    /// </summary>
    public static List<MemberDirectory.MemberInfo>? Choose(MemberDirectory.MemberList list, IReadOnlyList<string> selectors, out IResult? refusal)
    {
        refusal = null;
        var byName = list.Members.GroupBy(member => member.Name, StringComparer.Ordinal).ToDictionary(group => group.Key, group => group.First(), StringComparer.Ordinal);
        var targets = new List<MemberDirectory.MemberInfo>();
        foreach (var selector in selectors)
        {
            if (selector == "all")
            {
                targets.AddRange(byName.Values);
            }
            else if (selector.Split('=', 2) is [var key, var label])
            {
                var labelled = byName.Values.Where(member => member.Labels.TryGetValue(key, out var value) && value == label).ToList();
                if (labelled.Count == 0)
                {
                    refusal = BadRequest($"no member has the label {Messages.Endpoint.Escaped(selector)}");
                    return null;
                }
                targets.AddRange(labelled);
            }
            else if (byName.TryGetValue(selector, out var member))
            {
                if (list.Members.Where(other => other.Name == selector).Skip(1).FirstOrDefault() is { } twin)
                {
                    // For the moment before the younger of two same-named members leaves: say so rather than pick one.
                    refusal = Json(StatusCodes.Status409Conflict, Error("Conflict", $"two members are named '{selector}' ({member.Address}, {twin.Address}); the younger is leaving"));
                    return null;
                }
                targets.Add(member);
            }
            else
            {
                refusal = BadRequest($"unknown node '{Messages.Endpoint.Escaped(selector)}' (members: {string.Join(", ", byName.Keys)})");
                return null;
            }
        }
        targets = [.. targets.DistinctBy(member => member.Address, StringComparer.Ordinal)];
        if (targets.Count == 0)
        {
            refusal = Json(StatusCodes.Status503ServiceUnavailable, Error("NotAMember", "this node has not joined a cluster yet (no members to ask)"));
            return null;
        }
        return targets;
    }

    /// <summary>
    /// The request body as a JSON object with no field outside <paramref name="known"/>; null with the answer to give
    /// otherwise (400 naming what is wrong, 413 for a body over <c>api:maxBodyBytes</c>).
    /// </summary>
    public static async Task<(JsonObject? Fields, IResult? Refusal)> ReadObjectAsync(HttpRequest request, IReadOnlyList<string> known, CancellationToken cancel)
    {
        JsonNode? body;
        try
        {
            // A field given twice is refused here, as malformed JSON is: which copy counts would be a guess.
            body = await JsonNode.ParseAsync(request.Body, documentOptions: new System.Text.Json.JsonDocumentOptions { AllowDuplicateProperties = false }, cancellationToken: cancel);
        }
        catch (System.Text.Json.JsonException e)
        {
            return (null, BadRequest(e.Message.Contains("duplicate", StringComparison.OrdinalIgnoreCase) ? "the body gives a field twice" : "the body is not JSON"));
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            var limit = request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize;
            return (null, Json(StatusCodes.Status413PayloadTooLarge, Error("PayloadTooLarge", $"the body is over the {limit} bytes a request may have")));
        }
        if (body is not JsonObject fields)
        {
            return (null, BadRequest("the body must be a JSON object"));
        }
        if (fields.Select(field => field.Key).FirstOrDefault(key => !known.Contains(key, StringComparer.Ordinal)) is { } unknown)
        {
            return (null, BadRequest($"unknown field '{Messages.Endpoint.Escaped(unknown)}' (fields: {string.Join(", ", known)})"));
        }
        return (fields, null);
    }

    /// <summary>The selectors of an <c>on</c> or <c>from</c> field: "all", or node names and labels (a list, or one); null when malformed.</summary>
    public static IReadOnlyList<string>? OnField(JsonNode? on) => on switch
    {
        JsonValue value when value.TryGetValue<string>(out var one) && one.Length > 0 => [one],
        JsonArray list when list.Count > 0 && list.All(item => item is JsonValue v && v.TryGetValue<string>(out var name) && name.Length > 0) =>
            [.. list.Select(item => item!.GetValue<string>())],
        _ => null,
    };

    /// <summary>The answer of one of the node's actors, or null when it does not answer in time (the node is stopping, or overloaded): 503, not a bare 500.</summary>
    public static async Task<TReply?> AskAsync<TReply>(IActorRef actor, object message, CancellationToken cancel)
        where TReply : class
    {
        try
        {
            return await actor.Ask<TReply>(message, ActorTimeout, cancel);
        }
        catch (AskTimeoutException)
        {
            return null;
        }
    }

    /// <summary>503: an actor of the node did not answer in time.</summary>
    public static IResult Unavailable() =>
        Json(StatusCodes.Status503ServiceUnavailable, Error("Unavailable", $"the node did not answer within {ActorTimeout.TotalSeconds:0} s (it may be stopping)"));

    /// <summary>400 with the error object saying <paramref name="message"/>.</summary>
    public static IResult BadRequest(string message) => Json(StatusCodes.Status400BadRequest, Error("BadRequest", message));

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
                ["up_since"] = Timestamp(member.UpSince),
            });
        }
        return new JsonObject { ["self"] = list.Self, ["members"] = members };
    }

    // A web page the node's user has open must not drive the node (and through it the fleet): browsers mark what they
    // send with Origin or Sec-Fetch-Site, which the CLI and curl never send; and on loopback, a Host that is not a
    // loopback name means a DNS name rebound to 127.0.0.1 by a page, not a local client.
    private static string? BrowserProblem(HttpRequest request, bool loopback)
    {
        if (request.Headers.Origin.Count > 0 || request.Headers["Sec-Fetch-Site"] is [var site, ..] && site != "none")
        {
            return "requests from web pages are refused (the request carries Origin or Sec-Fetch-Site)";
        }
        if (loopback && !HostPort.IsLoopbackHost(request.Host.Host))
        {
            return "on a loopback API the Host must be a loopback address or localhost";
        }
        return null;
    }

    /// <summary>A time as every answer writes it: UTC, milliseconds, <c>2026-11-30T11:08:45.123Z</c>; null stays null.</summary>
    public static string? Timestamp(DateTimeOffset? time) =>
        time?.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The error object every failure answers with (the CLI's shape).</summary>
    public static JsonObject Error(string error, string message) =>
        new() { ["error"] = error, ["errno"] = null, ["strerror"] = message };

    // Hashing both sides gives equal lengths, so the comparison's time says nothing about the token.
    private static bool Authorized(string header, byte[] expected) =>
        header.StartsWith("Bearer ", StringComparison.Ordinal)
        && CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(header[7..].Trim())), expected);

    /// <summary><paramref name="body"/> as the answer, with <paramref name="status"/>.</summary>
    public static IResult Json(int status, JsonNode body) =>
        Results.Text(body.ToJsonString(), "application/json", Encoding.UTF8, status);

    private static Task Write(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(body.ToJsonString());
    }
}
