using System.Globalization;

namespace Agent.Bench.Io;

/// <summary>The child process: opens and holds the idle connections until its stdin closes.</summary>
internal static class Clients
{
    /// <summary>Connects <paramref name="count"/> clients (one echoed byte each), prints "ready N", holds them until stdin ends.</summary>
    public static int Hold(int port, int count)
    {
        var fds = Open(port, count);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready {fds.Count}"));
        Console.Out.Flush();
        Console.In.ReadToEnd();
        fds.ForEach(RawClient.Release);
        return 0;
    }

    /// <summary>Up to <paramref name="count"/> clients, each having echoed one byte; fewer (said on stderr) when the descriptors run out.</summary>
    public static List<int> Open(int port, int count)
    {
        var fds = new List<int>(count);
        try
        {
            while (fds.Count < count)
            {
                fds.Add(RawClient.ConnectAndEcho(port));
            }
        }
        catch (System.Net.Sockets.SocketException e)
        {
            Console.Error.WriteLine($"connection {fds.Count + 1} failed: {e.Message} (raise the limit: ulimit -n)");
        }
        return fds;
    }
}
