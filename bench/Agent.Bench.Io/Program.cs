using System.Diagnostics;
using System.Globalization;
using Agent.Actors;
using Agent.Actors.Io;
using Agent.Actors.Io.Echo;
using Agent.Bench.Io;
using Agent.Messages;
using Akka.Actor;
using Akka.Configuration;

// Memory per idle TCP connection held by an in-process echo service (issue 4's target: at most 16 KiB
// each for 10,000 connections, the node's own RSS included). Loopback only. The clients run in a child
// process (this program with --clients) as bare descriptors, so each process needs about one
// descriptor per connection:
//   ulimit -n 30000   (or more; the hard limit must allow it)
//   dotnet run -c Release --project bench/Agent.Bench.Io -- [CONNECTIONS]   (default 10000)
//   dotnet run -c Release --project bench/Agent.Bench.Io -- --alloc        (bytes allocated per echoed message)
//   dotnet run -c Release --project bench/Agent.Bench.Io -- --agent src/Agent/bin/Release/net10.0/agent.dll [CONNECTIONS]
//                                                     (the RSS of a real `agent run` process holding them)
// Exit status 0 when every connection was held and both the managed heap and the process RSS per
// connection are within the target, 1 otherwise.
if (args is ["--agent", var agentDll, .. var rest])
{
    return await NodeMemory.MeasureAsync(agentDll, rest is [var n] ? int.Parse(n, CultureInfo.InvariantCulture) : 10_000);
}
if (args is ["--clients", var portText, var countText])
{
    return Clients.Hold(int.Parse(portText, CultureInfo.InvariantCulture), int.Parse(countText, CultureInfo.InvariantCulture));
}
var count = args is [var first, ..] && first != "--alloc" ? int.Parse(first, CultureInfo.InvariantCulture) : 10_000;

var system = ActorSystem.Create("bench-io", ConfigurationFactory.ParseString("""
    akka.loglevel = WARNING
    akka.stdout-loglevel = WARNING
    """)).StartScheduler();
try
{
    return await RunAsync(system);
}
finally
{
    await system.Terminate();
}

async Task<int> RunAsync(ActorSystem system)
{
    var io = system.ActorOf(IoManager.Props(), "io");
    var bound = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
    var waiter = system.ActorOf(BoundWaiter.Props(bound), "bound");
    system.ActorOf(EchoService.Props(io, Endpoint.Parse("tcp:127.0.0.1:0"), 65_536, waiter), "echo");
    var port = await bound.Task.WaitAsync(TimeSpan.FromSeconds(10));

    if (args is ["--alloc"])
    {
        // Allocations per echoed message, one connection, depth 1 and 16 (see Allocations).
        Allocations.Measure(port, 16, 1, 50_000);
        Allocations.Measure(port, 16, 16, 20_000);
        Allocations.Measure(port, 4096, 16, 5_000);
        return 0;
    }

    // Warm up every code path once (JIT, pools, the actor types), then take the baseline.
    RawClient.Release(RawClient.ConnectAndEcho(port));
    await Task.Delay(500);
    var before = GC.GetTotalMemory(forceFullCollection: true);
    var rssBefore = Environment.WorkingSet;

    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardInput = true, RedirectStandardOutput = true };
    if (Path.GetFileNameWithoutExtension(Environment.ProcessPath!) == "dotnet")
    {
        start.ArgumentList.Add(typeof(Clients).Assembly.Location);
    }
    foreach (var arg in new[] { "--clients", port.ToString(CultureInfo.InvariantCulture), count.ToString(CultureInfo.InvariantCulture) })
    {
        start.ArgumentList.Add(arg);
    }
    using var child = Process.Start(start)!;
    var ready = await child.StandardOutput.ReadLineAsync() ?? "ready 0";
    var opened = int.Parse(ready.Split(' ')[1], CultureInfo.InvariantCulture);
    // Let the last echoes' writes drain so every connection is idle.
    await Task.Delay(1000);
    var after = GC.GetTotalMemory(forceFullCollection: true);
    var rssAfter = Environment.WorkingSet;
    child.StandardInput.Close();
    await child.WaitForExitAsync();

    const int Target = 16 * 1024;
    var perConnection = (double)(after - before) / Math.Max(1, opened);
    // The figure: the whole process's RSS (runtime, actor system, IO manager included) over the connections.
    var rssPerConnection = (double)rssAfter / Math.Max(1, opened);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"idle connections: {opened}; managed heap delta: {(after - before) / 1024.0 / 1024.0:F1} MiB; " +
        $"per connection: {perConnection:F0} bytes (target <= {Target}); " +
        $"working set delta per connection: {(double)(rssAfter - rssBefore) / Math.Max(1, opened):F0} bytes; " +
        $"process RSS: {rssBefore / 1024.0 / 1024.0:F1} MiB before, {rssAfter / 1024.0 / 1024.0:F1} MiB with the connections, " +
        $"{rssPerConnection:F0} bytes per connection, node included (target <= {Target})"));
    return opened == count && perConnection <= Target && rssPerConnection <= Target ? 0 : 1;
}
