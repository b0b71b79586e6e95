using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Agent.Bench.Checks;

/// <summary>
/// The targets, on the load core: a TCP echo server (the C epoll one from ../shared/bench, neutral to both probers),
/// a dnsmasq on a random 127.55.x.y port 53 answering the <c>dns-N.bench.test</c> names from a hosts-style file
/// (<c>--addn-hosts</c>) and NXDOMAIN for the rest of bench.test, and the probing node's private /etc files: a hosts
/// file holding the <c>hosts-N.bench.test</c> names, a resolv.conf naming the dnsmasq, an nsswitch.conf with
/// <c>hosts: files dns</c>. Every name resolves to 127.0.0.1.
/// </summary>
internal sealed class TestBed : IDisposable
{
    /// <summary>A name no file and no server knows (dnsmasq answers NXDOMAIN for it).</summary>
    public const string MissingName = "missing.bench.test";

    private readonly List<Child> _children = [];

    private TestBed(string directory) => Directory = directory;

    /// <summary>Where the bed's files are.</summary>
    public string Directory { get; }

    /// <summary>The echo server's port on 127.0.0.1.</summary>
    public int EchoPort { get; private set; }

    /// <summary>The dnsmasq's address (port 53).</summary>
    public string NameServer { get; private set; } = "";

    /// <summary>The echo server's process.</summary>
    public Child Echo => _children[0];

    /// <summary>The dnsmasq process.</summary>
    public Child Dns => _children[1];

    /// <summary>The name slot <paramref name="i"/> looks up in the probing node's hosts file.</summary>
    public static string HostsName(int i) => $"hosts-{i}.bench.test";

    /// <summary>The name slot <paramref name="i"/> asks the dnsmasq for.</summary>
    public static string DnsName(int i) => $"dns-{i}.bench.test";

    public static async Task<TestBed> StartAsync(BenchSettings settings)
    {
        var bed = new TestBed(System.IO.Directory.CreateTempSubdirectory("agent-bench-checks.").FullName);
        try
        {
            var hosts = new StringBuilder("127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n");
            var dnsHosts = new StringBuilder();
            for (var i = 0; i < settings.Concurrency; i++)
            {
                hosts.Append(CultureInfo.InvariantCulture, $"127.0.0.1\t{HostsName(i)}\n");
                dnsHosts.Append(CultureInfo.InvariantCulture, $"127.0.0.1\t{DnsName(i)}\n");
            }
            await File.WriteAllTextAsync(bed.Path("hosts"), hosts.ToString());
            await File.WriteAllTextAsync(bed.Path("dns-hosts"), dnsHosts.ToString());
            await File.WriteAllTextAsync(bed.Path("nsswitch.conf"), "hosts: files dns\nservices: files\nprotocols: files\n");

            var (echo, line) = await Child.StartAsync("echo server", settings.LoadCpu, settings.EchoServer, ["tcp", "127.0.0.1:0"],
                l => l.Contains("listening on", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
            bed._children.Add(echo);
            bed.EchoPort = int.Parse(line[(line.LastIndexOf(':') + 1)..], CultureInfo.InvariantCulture);

            // A random loopback address per run, so concurrent test beds (127.53/127.54) and benches do not collide on port 53.
            Exception? failure = null;
            for (var attempt = 0; attempt < 5 && bed.NameServer.Length == 0; attempt++)
            {
                var address = $"127.55.{Random.Shared.Next(1, 251)}.{Random.Shared.Next(1, 251)}";
                try
                {
                    var (dns, _) = await Child.StartAsync("dnsmasq", settings.LoadCpu, settings.Dnsmasq,
                        ["--keep-in-foreground", "--log-facility=-", "--no-resolv", "--no-hosts", "--no-poll", "--bind-interfaces",
                         $"--listen-address={address}", "--port=53", "--local=/bench.test/", $"--addn-hosts={bed.Path("dns-hosts")}",
                         "--user=root", $"--pid-file={bed.Path("dnsmasq.pid")}"],
                        l => l.Contains("read ", StringComparison.Ordinal) && l.Contains("dns-hosts", StringComparison.Ordinal), TimeSpan.FromSeconds(10));
                    bed._children.Add(dns);
                    bed.NameServer = address;
                }
                catch (InvalidOperationException e)
                {
                    failure = e;
                }
            }
            if (bed.NameServer.Length == 0)
            {
                throw new InvalidOperationException($"dnsmasq did not start: {failure?.Message}");
            }
            await File.WriteAllTextAsync(bed.Path("resolv.conf"), $"nameserver {bed.NameServer}\noptions timeout:2 attempts:2\n");
            return bed;
        }
        catch
        {
            bed.Dispose();
            throw;
        }
    }

    /// <summary>A port on 127.0.0.1 nothing listens on: bound and released (nothing else here takes ports from 1024-32767 at random).</summary>
    public static int ClosedPort()
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        for (var port = 1024 + Random.Shared.Next(0, 20000); ; port++)
        {
            try
            {
                socket.Bind(new IPEndPoint(IPAddress.Loopback, port));
                return port;
            }
            catch (SocketException)
            {
                // In use: the next one.
            }
        }
    }

    /// <summary>A file of the bed.</summary>
    public string Path(string name) => System.IO.Path.Combine(Directory, name);

    public void Dispose()
    {
        foreach (var child in _children)
        {
            child.Dispose();
        }
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
