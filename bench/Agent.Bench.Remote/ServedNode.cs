using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Akka.Actor;

namespace Agent.Bench.Remote;

/// <summary>
/// Node B in a child process: this executable re-launched with <c>--serve</c>, which prints
/// <c>READY ADDRESS SERIALIZER RAW_PORT</c> on stdout once its request actor (and its raw TCP baseline server) is up,
/// and runs until its stdin closes (so it ends with this process, however this one ends).
/// </summary>
internal sealed class ServedNode : IAsyncDisposable
{
    private const string Ready = "READY ";

    private readonly Process _process;
    private readonly Task _forwarding;

    private ServedNode(Process process, Address address, string serializer, int rawPort, Task forwarding)
    {
        _process = process;
        Address = address;
        Serializer = serializer;
        RawPort = rawPort;
        _forwarding = forwarding;
    }

    /// <summary>Where node B's remoting listens.</summary>
    public Address Address { get; }

    /// <summary>The serializer node B writes the request and reply types with, as it reported it.</summary>
    public string Serializer { get; }

    /// <summary>The child's raw TCP baseline server (<see cref="RawTcp"/>).</summary>
    public int RawPort { get; }

    /// <summary>The child's process id.</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time the child has used so far (user and system).</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts node B with <paramref name="variant"/> and waits (at most <paramref name="timeout"/>) for its address.</summary>
    public static async Task<ServedNode> StartAsync(SerializerVariant variant, string extraHocon, TimeSpan timeout)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("the process path is unknown: cannot re-launch this benchmark");
        var info = new ProcessStartInfo(host)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // Run as `dotnet Agent.Bench.Remote.dll`: the host needs the entry assembly; run as the apphost, it does not.
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        }
        info.ArgumentList.Add("--serve");
        info.ArgumentList.Add("--serializer");
        info.ArgumentList.Add(variant.Name());
        if (extraHocon.Length > 0)
        {
            info.ArgumentList.Add("--hocon");
            info.ArgumentList.Add(extraHocon);
        }
        var process = Process.Start(info) ?? throw new InvalidOperationException($"could not start {host}");
        try
        {
            using var cancel = new CancellationTokenSource(timeout);
            while (true)
            {
                var line = await process.StandardOutput.ReadLineAsync(cancel.Token)
                    ?? throw new InvalidOperationException($"node B ({variant.Name()}) exited before it was ready");
                if (line.StartsWith(Ready, StringComparison.Ordinal))
                {
                    var parts = line[Ready.Length..].Split(' ');
                    // Anything the child prints later goes to our stderr, so its stdout pipe never fills and blocks it.
                    var forwarding = Task.Run(() => ForwardAsync(process, variant));
                    return new ServedNode(process, Address.Parse(parts[0]), parts[1], int.Parse(parts[2], CultureInfo.InvariantCulture), forwarding);
                }
                await Console.Error.WriteLineAsync($"[node B {variant.Name()}] {line}");
            }
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            process.Dispose();
            throw;
        }
    }

    /// <summary>Closes the child's stdin (it terminates its actor system and exits); kills it after 10 s.</summary>
    public async ValueTask DisposeAsync()
    {
        _process.StandardInput.Close();
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
        }
        await _forwarding;
        _process.Dispose();
    }

    /// <summary>The <c>--serve</c> side: node B in this process until stdin closes.</summary>
    public static async Task<int> ServeAsync(SerializerVariant variant, string extraHocon)
    {
        var system = BenchNode.Create(variant, extraHocon);
        BenchNode.Serve(system);
        using var stop = new CancellationTokenSource();
        var rawPort = RawTcp.Serve(system, stop.Token);
        await Console.Out.WriteLineAsync($"{Ready}{BenchNode.AddressOf(system)} {BenchNode.SerializerOf(system)} {rawPort}");
        await Console.Out.FlushAsync();
        while (await Console.In.ReadLineAsync() is not null)
        {
        }
        await stop.CancelAsync();
        await system.Terminate();
        return 0;
    }

    private static async Task ForwardAsync(Process process, SerializerVariant variant)
    {
        while (await process.StandardOutput.ReadLineAsync() is { } line)
        {
            await Console.Error.WriteLineAsync($"[node B {variant.Name()}] {line}");
        }
    }
}
