using System.Diagnostics;
using System.Globalization;
using Agent.Actors;
using Agent.Actors.Resolution;
using Agent.Bench.Resolution;
using Agent.Messages.Resolution;
using Akka.Actor;
using Akka.Configuration;

// Lookups per second through the ResolverActor, direct P/Invoke and CPython, side by side in one run.
// Usage: Agent.Bench.Resolution [SECONDS_PER_CASE]   (default 3)
var seconds = args.Length > 0 ? double.Parse(args[0], CultureInfo.InvariantCulture) : 3.0;
Workload[] workloads = [new("hosts-file name (localhost)", "localhost"), new("numeric host (127.0.0.1)", "127.0.0.1")];
// Inside tests/testbeds/dns-bed.sh a real DNS name (dnsmasq on loopback) is measured too.
var dns = new Workload("DNS name via dnsmasq (www.bed.test)", "www.bed.test");
try
{
    NativeLookups.Run(dns.Request(0));
    workloads = [.. workloads, dns];
}
catch (PythonException)
{
    Console.Error.WriteLine("(www.bed.test does not resolve: run inside tests/testbeds/dns-bed.sh to add the DNS workload)");
}
int[] concurrencies = [1, 64];

Console.WriteLine($"# {seconds} s per case, getaddrinfo(host, port, 0, SOCK_STREAM), resolver cache off, coalescing off");
Console.WriteLine();
Console.WriteLine("| workload | concurrency | CPython (lookups/s) | direct P/Invoke (lookups/s) | actors (lookups/s) | actors / CPython seq | actors / direct |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|");

var system = ActorSystem.Create("bench", ConfigurationFactory.ParseString("""
    akka.loglevel = WARNING
    akka.stdout-loglevel = WARNING
    """)).StartScheduler();
var resolver = system.ActorOf(ResolverActor.Props(new ResolverSettings { CoalesceInFlight = false }), "resolver");
try
{
    foreach (var workload in workloads)
    {
        var pythonSequential = await Python(workload, 1);
        foreach (var concurrency in concurrencies)
        {
            var python = concurrency == 1 ? pythonSequential : await Python(workload, concurrency);
            var direct = Direct(workload, concurrency);
            var actors = await Actors(workload, concurrency);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {workload.Name} | {concurrency} | {python:N0} | {direct:N0} | {actors:N0} | {actors / pythonSequential:F1}x | {actors / direct:P0} |"));
        }
    }

    // The actor path alone: a lookup that returns at once, so what remains is the per-request cost
    // of the resolver, the request actor, the pool handoff and Ask. A host name, since a numeric host is
    // answered without a request actor or the pool at all.
    var noop = new AddrInfoList([]);
    var overheadResolver = system.ActorOf(ResolverActor.Props(new ResolverSettings { CoalesceInFlight = false, Lookup = _ => noop }), "overhead");
    Console.WriteLine();
    Console.WriteLine("| actor path with a no-op lookup | concurrency | requests/s | µs per request |");
    Console.WriteLine("|---|---:|---:|---:|");
    foreach (var concurrency in concurrencies)
    {
        var rate = await Actors(workloads[0], concurrency, overheadResolver);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| no-op | {concurrency} | {rate:N0} | {1e6 / rate:F1} |"));
    }
}
finally
{
    await system.Terminate();
}

double Direct(Workload workload, int concurrency)
{
    Run(0.3);
    return Run(seconds);

    double Run(double duration)
    {
        var counts = new long[concurrency];
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(duration);
        var threads = Enumerable.Range(0, concurrency).Select(k => new Thread(() =>
        {
            long i = k * 1_000_000L;
            long n = 0;
            while (clock.Elapsed < deadline)
            {
                NativeLookups.Run(workload.Request(i++));
                n++;
            }
            counts[k] = n;
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}

async Task<double> Actors(Workload workload, int concurrency, IActorRef? target = null)
{
    target ??= resolver;
    await Run(0.3);
    return await Run(seconds);

    async Task<double> Run(double duration)
    {
        var clock = Stopwatch.StartNew();
        var deadline = TimeSpan.FromSeconds(duration);
        var counts = await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async k =>
        {
            long i = k * 1_000_000L;
            long n = 0;
            while (clock.Elapsed < deadline)
            {
                if (await target.Ask<object>(workload.Request(i++)) is not Resolved)
                {
                    throw new InvalidOperationException("lookup failed during the benchmark");
                }
                n++;
            }
            return n;
        }));
        return counts.Sum() / clock.Elapsed.TotalSeconds;
    }
}

async Task<double> Python(Workload workload, int threads)
{
    var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, UseShellExecute = false };
    info.ArgumentList.Add("-c");
    info.ArgumentList.Add(workload.PythonScript(seconds, threads));
    using var process = Process.Start(info)!;
    var output = await process.StandardOutput.ReadToEndAsync();
    await process.WaitForExitAsync();
    return double.Parse(output.Trim(), CultureInfo.InvariantCulture);
}
