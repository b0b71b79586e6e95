using System.Globalization;
using Agent.Messages.Resolution;

namespace Agent.Bench.Resolution;

/// <summary>One kind of lookup: getaddrinfo(host, port, 0, SOCK_STREAM) with the port varied so no two in-flight requests are equal.</summary>
internal sealed record Workload(string Name, string Host)
{
    public GetAddrInfo Request(long i) => new(Host, (1000 + (i % 50_000)).ToString(CultureInfo.InvariantCulture), 0, 1);

    /// <summary>The same calls as a python3 loop that prints its own rate; threads=1 is a plain sequential loop.</summary>
    public string PythonScript(double seconds, int threads) => $$"""
        import socket, time, threading
        def worker(start, counts, idx, deadline):
            i = start
            n = 0
            while time.perf_counter() < deadline:
                socket.getaddrinfo({{'"' + Host + '"'}}, 1000 + (i % 50000), 0, socket.SOCK_STREAM)
                i += 1
                n += 1
            counts[idx] = n
        def run(seconds, threads):
            counts = [0] * threads
            deadline = time.perf_counter() + seconds
            t0 = time.perf_counter()
            ts = [threading.Thread(target=worker, args=(k * 1000000, counts, k, deadline)) for k in range(threads)]
            for t in ts: t.start()
            for t in ts: t.join()
            return sum(counts) / (time.perf_counter() - t0)
        run(0.3, {{threads}})
        print(run({{seconds.ToString(CultureInfo.InvariantCulture)}}, {{threads}}))
        """;
}
