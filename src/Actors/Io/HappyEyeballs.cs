using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Io;

/// <summary>
/// The connection race of RFC 8305 (Happy Eyeballs v2) over an already resolved candidate list:
/// families interleaved (starting with the resolver's first), a new attempt every attempt delay or as
/// soon as the previous one fails, first success wins, the losers are cancelled and closed.
/// </summary>
public static class HappyEyeballs
{
    /// <summary>The outcome: the winning socket (null when every attempt failed) and every attempt.</summary>
    /// <param name="Socket">The connected socket, now the caller's.</param>
    /// <param name="Attempts">Each attempt, in start order.</param>
    /// <param name="Error">Why no attempt won (the last error, or a timeout).</param>
    public sealed record Result(Socket? Socket, IReadOnlyList<SockStream.ConnectAttempt> Attempts, PythonError? Error);

    /// <summary>RFC 8305 section 4: alternate families, keeping each family's own order, starting with the first address's family.</summary>
    public static IReadOnlyList<IPAddress> Interleave(IReadOnlyList<IPAddress> addresses)
    {
        if (addresses.Count == 0)
        {
            return addresses;
        }
        var first = addresses[0].AddressFamily;
        var preferred = new Queue<IPAddress>(addresses.Where(a => a.AddressFamily == first));
        var other = new Queue<IPAddress>(addresses.Where(a => a.AddressFamily != first));
        var ordered = new List<IPAddress>(addresses.Count);
        while (preferred.Count > 0 || other.Count > 0)
        {
            if (preferred.Count > 0)
            {
                ordered.Add(preferred.Dequeue());
            }
            if (other.Count > 0)
            {
                ordered.Add(other.Dequeue());
            }
        }
        return ordered;
    }

    /// <summary>
    /// Races connections to <paramref name="candidates"/> (already interleaved) on <paramref name="port"/>.
    /// <paramref name="connect"/> opens one attempt; it must close its socket when cancelled.
    /// </summary>
    public static async Task<Result> RaceAsync(
        IReadOnlyList<IPAddress> candidates,
        int port,
        TimeSpan attemptDelay,
        Func<IPEndPoint, CancellationToken, Task<Socket>> connect,
        CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var attempts = new List<(IPEndPoint Target, Task<Socket> Task, CancellationTokenSource Cancel, double Started)>();
        var outcomes = new Dictionary<int, SockStream.ConnectAttempt>();
        var next = 0;
        PythonError? lastError = null;
        Socket? winner = null;
        using var raceCancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        void StartNext()
        {
            var target = new IPEndPoint(candidates[next++], port);
            var cancel = CancellationTokenSource.CreateLinkedTokenSource(raceCancel.Token);
            attempts.Add((target, connect(target, cancel.Token), cancel, clock.Elapsed.TotalMilliseconds));
        }

        SockStream.ConnectAttempt Outcome(int i, string outcome, PythonError? error) =>
            new(SocketFactory.ToEndpoint(EndpointKind.Tcp, attempts[i].Target), outcome, error,
                attempts[i].Started, clock.Elapsed.TotalMilliseconds - attempts[i].Started);

        if (candidates.Count > 0)
        {
            StartNext();
        }
        try
        {
            while (winner is null && (next < candidates.Count || outcomes.Count < attempts.Count))
            {
                var running = Enumerable.Range(0, attempts.Count).Where(i => !outcomes.ContainsKey(i)).ToList();
                var waits = running.Select(i => (Task)attempts[i].Task).ToList();
                Task? delay = null;
                if (next < candidates.Count)
                {
                    delay = running.Count == 0 ? Task.CompletedTask : Task.Delay(attemptDelay, raceCancel.Token);
                    waits.Add(delay);
                }
                if (waits.Count == 0)
                {
                    break;
                }
                var done = await Task.WhenAny(waits).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                if (done == delay)
                {
                    StartNext();
                    continue;
                }
                var index = running[waits.IndexOf(done)];
                if (attempts[index].Task.IsCompletedSuccessfully)
                {
                    winner = attempts[index].Task.Result;
                    outcomes[index] = Outcome(index, "connected", null);
                }
                else
                {
                    var error = OsErrors.FromException(attempts[index].Task.Exception?.InnerException ?? new OperationCanceledException());
                    lastError = error;
                    outcomes[index] = Outcome(index, error.ToString(), error);
                    if (next < candidates.Count)
                    {
                        // RFC 8305 5: a failure starts the next attempt at once.
                        StartNext();
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            lastError = OsErrors.TimedOut;
        }
        await raceCancel.CancelAsync().ConfigureAwait(false);
        for (var i = 0; i < attempts.Count; i++)
        {
            if (!outcomes.ContainsKey(i))
            {
                outcomes[i] = Outcome(i, "cancelled", null);
                // Losers: wait for the cancellation to land and close anything that connected anyway.
                try
                {
                    var late = await attempts[i].Task.ConfigureAwait(false);
                    late.Dispose();
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
                {
                    // Cancelled as intended.
                }
            }
            attempts[i].Cancel.Dispose();
        }
        var list = Enumerable.Range(0, attempts.Count).Select(i => outcomes[i]).ToList();
        return new Result(winner, list, winner is null ? lastError ?? OsErrors.TimedOut : null);
    }

    /// <summary>One attempt: a TCP socket of the target's family, options applied, connected or closed.</summary>
    public static async Task<Socket> ConnectOneAsync(IPEndPoint target, SocketOptions? options, CancellationToken cancellationToken)
    {
        var socket = new Socket(target.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            SocketFactory.Apply(socket, options, listener: false);
            await socket.ConnectAsync(target, cancellationToken).ConfigureAwait(false);
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
