using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Agent.Cli;

namespace Agent.Clients;

/// <summary>
/// The CLI's client of a node's HTTP API (docs/api.md): one request, the JSON answer, or a <see cref="NodeApiException"/>
/// whose message is the one line to print. The bearer token comes from <c>AGENT_API__TOKEN</c>, the variable the
/// node reads its own from.
/// </summary>
internal sealed class NodeApiClient : IDisposable
{
    /// <summary>The API address a node listens on by default.</summary>
    public const string DefaultAddress = "127.0.0.1:9180";

    /// <summary>The environment variable holding the bearer token.</summary>
    public const string TokenVariable = "AGENT_API__TOKEN";

    // The most of an answer read: a member list of thousands of nodes fits many times over.
    private const int MaxAnswerBytes = 16 * 1024 * 1024;

    private readonly HttpClient _http;
    private readonly string _address;

    /// <summary>A client of the node at <paramref name="address"/> (<c>HOST:PORT</c>), each request bounded by <paramref name="timeout"/>.</summary>
    public NodeApiClient(string address, TimeSpan timeout)
    {
        _address = address;
        _http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false })
        {
            BaseAddress = new Uri($"http://{address}/"),
            Timeout = timeout,
            MaxResponseContentBufferSize = MaxAnswerBytes,
        };
        if (Environment.GetEnvironmentVariable(TokenVariable) is { Length: > 0 } token)
        {
            _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }
    }

    /// <summary>Whether <paramref name="address"/> is a <c>HOST:PORT</c> the client can use; the problem otherwise.</summary>
    public static string? AddressProblem(string address) =>
        Node.HostPort.TryParse(address, out _, out var error) ? null : $"--api: {error}";

    /// <summary>GETs <paramref name="path"/> and returns the JSON body of a 2xx answer.</summary>
    public Task<JsonNode> GetAsync(string path, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Get, path), cancellationToken);

    /// <summary>POSTs <paramref name="body"/> to <paramref name="path"/> and returns the JSON body of a 2xx answer.</summary>
    public Task<JsonNode> PostAsync(string path, JsonNode body, CancellationToken cancellationToken) =>
        SendAsync(new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") }, cancellationToken);

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await _http.SendAsync(request, cancellationToken);
            }
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException socket)
        {
            throw new NodeApiException(socket.SocketErrorCode == SocketError.ConnectionRefused
                ? $"no node answers at {_address} (connection refused); start one with 'agent run', or point --api at a running node's API"
                : $"cannot reach the node API at {_address}: {socket.Message}");
        }
        catch (HttpRequestException e)
        {
            throw new NodeApiException($"cannot reach the node API at {_address}: {e.Message}");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new NodeApiException($"the node API at {_address} did not answer within {_http.Timeout.TotalSeconds:0.###} s");
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new NodeApiException($"the node at {_address} refused the request: it needs its token in {TokenVariable}");
            }
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            JsonNode? body;
            try
            {
                body = JsonNode.Parse(text);
            }
            catch (System.Text.Json.JsonException)
            {
                body = null;
            }
            if (response.StatusCode == HttpStatusCode.BadRequest && body?["strerror"]?.GetValue<string>() is { } refusal)
            {
                // The node refused the arguments (an unknown node name, a bad value): the user's to fix, said as the node said it.
                throw new NodeApiException(refusal, badRequest: true);
            }
            if (!response.IsSuccessStatusCode || body is null)
            {
                var detail = body?["strerror"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
                throw new NodeApiException($"the node at {_address} answered {(int)response.StatusCode}: {detail}");
            }
            return body;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _http.Dispose();
}

/// <summary>A request to a node's API that did not get an answer to show; the message is the line to print.</summary>
/// <param name="message">The line to print.</param>
/// <param name="badRequest">True when the node refused the request's arguments (the CLI's exit status 2).</param>
internal sealed class NodeApiException(string message, bool badRequest = false) : Exception(message)
{
    /// <summary>True when the node refused the request's arguments.</summary>
    public bool BadRequest { get; } = badRequest;
}
