using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Agent.Actors.Io;
using Agent.Messages.Io;
using Akka.Event;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// A listener that runs the process out of descriptors pauses accepting with one logged warning and resumes once
/// descriptors free up. The test lowers this process's soft RLIMIT_NOFILE, so it runs alone (no other test may
/// open a descriptor meanwhile) and restores the limit before it asserts anything.
/// </summary>
[Collection(SerialCollection.Name)]
public sealed partial class DescriptorExhaustionTests(ITestOutputHelper output) : IoTestBase(output)
{
    private const int RlimitNofile = 7;
    private const int Emfile = 24;
    // .NET reports EMFILE as SocketError.TooManyOpenSockets, whose native code reads ENFILE.
    private const int Enfile = 23;

    // Free descriptor numbers left below the lowered limit: room for a few dozen connections (two descriptors each).
    private const int Headroom = 48;

    [Fact]
    public async Task Listener_ProcessOutOfDescriptors_PausesWithOneWarningAndResumesWhenDescriptorsFree()
    {
        var (server, _, local) = await BindAsync();
        var endpoint = new IPEndPoint(IPAddress.Loopback, local.Port);
        Sys.EventStream.Subscribe(server.Ref, typeof(Warning));
        var clients = new List<Socket>();
        var warnings = new List<string>();
        var accepted = 0;
        string? resumed = null;
        // Held until a client cannot get a descriptor: freeing it lets that client connect and the listener's accept fail.
        var spare = new FileStream("/dev/null", FileMode.Open, FileAccess.Read);
        try
        {
            using (LowerDescriptorLimit(Headroom))
            {
                // Connect clients one by one until the listener reports the pause; each accepted one is registered.
                while (warnings.Count == 0)
                {
                    Socket client;
                    try
                    {
                        client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                    }
                    catch (SocketException e) when (e.NativeErrorCode is Emfile or Enfile && spare is not null)
                    {
                        // The listener took the last descriptor: give one back so the next client connects and its accept fails.
                        await spare.DisposeAsync();
                        spare = null;
                        continue;
                    }
                    clients.Add(client);
                    await client.ConnectAsync(endpoint);
                    switch (await server.ExpectMsgAsync<object>())
                    {
                        case SockStream.Connected:
                            accepted++;
                            server.LastSender.Tell(SockStream.Register.Instance, server.Ref);
                            break;
                        case Warning w:
                            warnings.Add(w.Message.ToString()!);
                            break;
                    }
                }

                // Free every descriptor the test holds; the server side of each connection then sees EOF and stops.
                Sys.EventStream.Subscribe(server.Ref, typeof(Info));
                clients.ForEach(c => c.Dispose());
                while (resumed is null)
                {
                    switch (await server.ExpectMsgAsync<object>(TimeSpan.FromSeconds(10)))
                    {
                        case SockStream.Connected:
                            // A client that waited in the backlog, accepted once descriptors freed.
                            server.LastSender.Tell(SockStream.Register.Instance, server.Ref);
                            break;
                        case Warning w:
                            warnings.Add(w.Message.ToString()!);
                            break;
                        case Info i when i.Message.ToString()!.Contains("again after", StringComparison.Ordinal):
                            resumed = i.Message.ToString();
                            break;
                    }
                }
            }
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
            spare?.Dispose();
        }

        Assert.True(accepted > 0, "no connection was accepted before the pause");
        // The listener names the endpoint it was asked to bind.
        Assert.Equal("accept on tcp:127.0.0.1:0 paused: OSError: [Errno 24] Too many open files; backing off (logged once until accepting works again)",
            Assert.Single(warnings));
        var failures = resumed!.Split(' ')[^3];
        Assert.Equal($"accepting on tcp:127.0.0.1:0 again after {failures} failed attempts", resumed);
        Assert.True(int.Parse(failures, System.Globalization.CultureInfo.InvariantCulture) >= 1, resumed);
        // Accepting again: a new client is announced.
        using var fresh = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await fresh.ConnectAsync(endpoint);
        var connected = (SockStream.Connected)await server.FishForMessageAsync(m => m is SockStream.Connected c && c.RemoteAddress.Port == ((IPEndPoint)fresh.LocalEndPoint!).Port);
        Assert.Equal(local, connected.LocalAddress);
    }

    /// <summary>Lowers the soft descriptor limit so that exactly <paramref name="free"/> descriptor numbers stay free below it; disposing restores it.</summary>
    private static IDisposable LowerDescriptorLimit(int free)
    {
        Assert.Equal(0, GetRlimit(RlimitNofile, out var original));
        var open = Directory.GetFiles("/proc/self/fd").Select(f => long.Parse(Path.GetFileName(f), System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        long limit = 0;
        for (var left = free; left > 0; limit++)
        {
            if (!open.Contains(limit))
            {
                left--;
            }
        }
        var lowered = original with { Current = (ulong)limit };
        Assert.Equal(0, SetRlimit(RlimitNofile, in lowered));
        return new Restore(original);
    }

    private sealed class Restore(Rlimit original) : IDisposable
    {
        public void Dispose() => Assert.Equal(0, SetRlimit(RlimitNofile, in original));
    }

    [StructLayout(LayoutKind.Sequential)]
    private record struct Rlimit(ulong Current, ulong Maximum);

    [LibraryImport("libc", EntryPoint = "getrlimit")]
    private static partial int GetRlimit(int resource, out Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit")]
    private static partial int SetRlimit(int resource, in Rlimit limit);
}
