using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Agent.Bench.Remote;

namespace Agent.Bench.Checks;

/// <summary>
/// blackbox_exporter, started by the bench on the probing core with a generated config, driven through its
/// <c>/probe</c> endpoint from the load core: <c>tcp_echo</c> (connect, send a line of <see cref="PayloadSize"/> bytes
/// with its newline, expect the same line back, close) and one <c>dns_N</c> module per slot (an A query for
/// <c>dns-N.bench.test</c>, ok when an A record comes back). An answer counts as ok when it is HTTP 200 with
/// <c>probe_success 1</c>.
/// </summary>
internal sealed class Blackbox : IDisposable
{
    /// <summary>Bytes each way per tcp-echo probe: blackbox sends <c>send</c> plus a newline; ours sends this many random bytes.</summary>
    public const int PayloadSize = 32;

    /// <summary>The echo module.</summary>
    public const string TcpEchoModule = "tcp_echo";

    /// <summary>The module asking for <see cref="TestBed.MissingName"/>.</summary>
    public const string MissingModule = "dns_missing";

    private readonly Child _child;
    private readonly HttpClient _http;

    private Blackbox(Child child, string address, string version, int connections)
    {
        _child = child;
        Address = address;
        Version = version;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = connections,
            UseProxy = false,
            AutomaticDecompression = DecompressionMethods.None,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        })
        {
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    /// <summary>Where its HTTP server listens.</summary>
    public string Address { get; }

    /// <summary>What <c>--version</c> said (first line).</summary>
    public string Version { get; }

    /// <summary>The exporter's process.</summary>
    public Child Child => _child;

    /// <summary>Slot <paramref name="i"/>'s DNS module.</summary>
    public static string DnsModule(int i) => $"dns_{i}";

    public static async Task<Blackbox> StartAsync(BenchSettings settings, TestBed bed)
    {
        var config = bed.Path("blackbox.yml");
        await File.WriteAllTextAsync(config, Config(settings.Concurrency));
        return await StartAsync(settings.Blackbox, settings.ProbeCpu.ToString(CultureInfo.InvariantCulture), config, settings.Concurrency);
    }

    /// <summary>
    /// Starts <paramref name="program"/> with the config file <paramref name="config"/> on the CPUs <paramref name="cpus"/>
    /// lists, listening on a free port of 127.0.0.1; the client keeps up to <paramref name="connections"/> connections to it.
    /// </summary>
    public static async Task<Blackbox> StartAsync(string program, string cpus, string config, int connections)
    {
        var version = await VersionAsync(program);
        var (child, line) = await Child.StartAsync("blackbox_exporter", cpus, program,
            [$"--config.file={config}", "--web.listen-address=127.0.0.1:0"],
            l => l.Contains("msg=\"Listening on\"", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
        var address = line[(line.IndexOf("address=", StringComparison.Ordinal) + "address=".Length)..].Split(' ')[0];
        return new Blackbox(child, address, version, connections);
    }

    /// <summary>The URL of one probe.</summary>
    public string ProbeUrl(string module, string target, bool debug = false) =>
        $"http://{Address}/probe?module={module}&target={Uri.EscapeDataString(target)}{(debug ? "&debug=true" : "")}";

    /// <summary>One probe: the response body, and whether it was HTTP 200 with <c>probe_success 1</c>.</summary>
    public async Task<(bool Ok, string Body)> ProbeAsync(string url)
    {
        using var response = await _http.GetAsync(url);
        var body = await response.Content.ReadAsStringAsync();
        return (response.StatusCode == HttpStatusCode.OK && body.Contains("\nprobe_success 1\n", StringComparison.Ordinal), body);
    }

    /// <summary>
    /// Keeps one request per URL in flight; calls <paramref name="opened"/> as the measured window opens and
    /// <paramref name="closed"/> as it closes (before the last answers drain), then returns what it counted.
    /// </summary>
    public async Task<Load> RunAsync(IReadOnlyList<string> urls, TimeSpan warmup, TimeSpan duration, Action opened, Action closed)
    {
        var load = new Load(urls.Count);
        var slots = urls.Select((url, i) => Task.Run(() => SlotAsync(load, url, i))).ToList();
        await Task.Delay(warmup);
        load.StartMeasuring();
        opened();
        await Task.Delay(duration);
        load.Stop();
        closed();
        if (await Task.WhenAny(load.Drained, Task.Delay(TimeSpan.FromSeconds(60))) != load.Drained)
        {
            throw new TimeoutException("blackbox_exporter: requests still unanswered 60 s after the window");
        }
        await Task.WhenAll(slots);
        return load;
    }

    public void Dispose()
    {
        _http.Dispose();
        _child.Dispose();
    }

    private async Task SlotAsync(Load load, string url, int slot)
    {
        while (!load.Stopping)
        {
            var sent = Stopwatch.GetTimestamp();
            string? failure;
            try
            {
                var (ok, body) = await ProbeAsync(url);
                failure = ok ? null : $"{url}: {Metrics(body).LastOrDefault() ?? body}";
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                failure = $"{url}: {e.Message}";
            }
            load.Record(slot, Stopwatch.GetTimestamp() - sent, failure);
        }
        load.SlotDone();
    }

    /// <summary>The sample lines of a metrics page (no <c># HELP</c>/<c># TYPE</c>).</summary>
    public static IReadOnlyList<string> Metrics(string body) =>
        [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))];

    /// <summary>
    /// The start of a config: <c>modules:</c> and <see cref="TcpEchoModule"/>, which sends a line of <see cref="PayloadSize"/>
    /// - 1 random letters (blackbox adds the newline) and expects the same line back.
    /// </summary>
    public static string TcpEchoConfig()
    {
        var payload = new string([.. Enumerable.Range(0, PayloadSize - 1).Select(_ => (char)('a' + Random.Shared.Next(26)))]);
        return string.Create(CultureInfo.InvariantCulture, $"""
            modules:
              {TcpEchoModule}:
                prober: tcp
                timeout: 5s
                tcp:
                  preferred_ip_protocol: ip4
                  query_response:
                    - send: "{payload}"
                    - expect: "^{payload}$"

            """);
    }

    // tcp_echo: send the line, then read lines until one is the same (blackbox's query_response: an entry's expect is
    // read before its send, hence two entries). dns_N: an A query over UDP; ok only with an A record in the answer,
    // as ours is ok only with an address (by default blackbox accepts any NOERROR, even an empty answer).
    private static string Config(int slots)
    {
        var yaml = new StringBuilder(TcpEchoConfig());
        foreach (var (module, name) in Enumerable.Range(0, slots).Select(i => (DnsModule(i), TestBed.DnsName(i))).Append((MissingModule, TestBed.MissingName)))
        {
            yaml.Append(CultureInfo.InvariantCulture, $"""
                  {module}:
                    prober: dns
                    timeout: 5s
                    dns:
                      transport_protocol: udp
                      preferred_ip_protocol: ip4
                      query_name: {name}
                      query_type: A
                      validate_answer_rrs:
                        fail_if_none_matches_regexp: ['\sA\s']

                """);
        }
        return yaml.ToString();
    }

    private static async Task<string> VersionAsync(string program)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("--version");
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {program}");
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "unknown";
    }
}
