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

    /// <summary>The most of an answer (or of one line of a streamed answer) read: a member list of thousands of nodes fits many times over.</summary>
    public const int MaxAnswerBytes = 16 * 1024 * 1024;

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
        SendAsync(Post(path, body), cancellationToken);

    /// <summary>
    /// POSTs <paramref name="body"/> to <paramref name="path"/> and yields each line of a 2xx NDJSON answer as it arrives
    /// (a line is at most <see cref="MaxAnswerBytes"/> characters). The client's timeout bounds the wait for the answer to begin;
    /// <paramref name="cancellationToken"/> bounds the rest.
    /// </summary>
    public async IAsyncEnumerable<JsonNode> PostLinesAsync(string path, JsonNode body,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(Post(path, body), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        if (response.Content.Headers.ContentType?.MediaType != "application/x-ndjson")
        {
            // A refusal or a whole answer rather than a stream.
            yield return await ReadJsonAsync(response, cancellationToken);
            yield break;
        }
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken), System.Text.Encoding.UTF8);
        var line = new System.Text.StringBuilder();
        var buffer = new char[8192];
        int read;
        while ((read = await ReadAsync(reader, buffer, cancellationToken)) > 0)
        {
            for (var i = 0; i < read; i++)
            {
                if (buffer[i] != '\n')
                {
                    if (line.Length >= MaxAnswerBytes)
                    {
                        throw new NodeApiException($"the node at {_address} sent a line over {MaxAnswerBytes} characters");
                    }
                    line.Append(buffer[i]);
                    continue;
                }
                if (line.Length > 0)
                {
                    yield return Parse(line.ToString());
                    line.Clear();
                }
            }
        }
        if (line.Length > 0)
        {
            yield return Parse(line.ToString());
        }
    }

    private async Task<int> ReadAsync(StreamReader reader, char[] buffer, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadAsync(buffer, cancellationToken);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            throw new NodeApiException($"the node at {_address} broke off its answer: {e.Message}");
        }
    }

    private JsonNode Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) ?? throw new NodeApiException($"the node at {_address} answered a line that is not JSON");
        }
        catch (System.Text.Json.JsonException)
        {
            throw new NodeApiException($"the node at {_address} answered a line that is not JSON");
        }
    }

    private static HttpRequestMessage Post(string path, JsonNode body) =>
        new(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json") };

    private async Task<JsonNode> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using var response = await SendCheckedAsync(request, HttpCompletionOption.ResponseContentRead, cancellationToken);
        return await ReadJsonAsync(response, cancellationToken);
    }

    // The answer to a request, once it is known to be one to read: a 401, a 400 with the node's reason, or any other
    // failure is a NodeApiException; the caller disposes what is returned.
    private async Task<HttpResponseMessage> SendCheckedAsync(HttpRequestMessage request, HttpCompletionOption completion, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            using (request)
            {
                response = await _http.SendAsync(request, completion, cancellationToken);
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
        if (response.IsSuccessStatusCode)
        {
            return response;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                throw new NodeApiException($"the node at {_address} refused the request: it needs its token in {TokenVariable}");
            }
            var body = ParseOrNull(await ReadBoundedAsync(response, cancellationToken));
            if (response.StatusCode == HttpStatusCode.BadRequest && body?["strerror"]?.GetValue<string>() is { } refusal)
            {
                // The node refused the arguments (an unknown node name, a bad value): the user's to fix, said as the node said it.
                throw new NodeApiException(refusal, badRequest: true);
            }
            var detail = body?["strerror"]?.GetValue<string>() ?? $"HTTP {(int)response.StatusCode}";
            throw new NodeApiException($"the node at {_address} answered {(int)response.StatusCode}: {detail}");
        }
    }

    private async Task<JsonNode> ReadJsonAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        ParseOrNull(await ReadBoundedAsync(response, cancellationToken))
            ?? throw new NodeApiException($"the node at {_address} answered {(int)response.StatusCode}: HTTP {(int)response.StatusCode}");

    // A whole answer, at most MaxAnswerBytes of it whichever way it was asked for (a streamed request's buffer bound does not apply).
    private async Task<string> ReadBoundedAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        using var bytes = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (bytes.Length + read > MaxAnswerBytes)
            {
                throw new NodeApiException($"the node at {_address} sent an answer over {MaxAnswerBytes} bytes");
            }
            bytes.Write(buffer, 0, read);
        }
        return System.Text.Encoding.UTF8.GetString(bytes.GetBuffer(), 0, (int)bytes.Length);
    }

    private static JsonNode? ParseOrNull(string text)
    {
        try
        {
            return JsonNode.Parse(text);
        }
        catch (System.Text.Json.JsonException)
        {
            return null;
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
