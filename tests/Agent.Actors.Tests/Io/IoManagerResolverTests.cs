using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// The IO manager's own resolver child (<c>io/resolver</c>): restarted in place when it fails, started again
/// on the next name when it stops; either way the next name lookup works.
/// </summary>
public sealed class IoManagerResolverTests(ITestOutputHelper output) : IoTestBase(output)
{
    [Fact]
    public async Task ResolverChild_Killed_RestartedWithTheSameRefAndTheNextNameResolves()
    {
        var (_, _, local) = await BindAsync();
        await ConnectByNameAsync(local.Port);
        var resolver = await IdentifyOneAsync(Io.Path / IoManager.ResolverName);
        var watcher = CreateTestProbe();
        watcher.Watch(resolver);

        // The kill is logged by the default supervisor's failure logging, so the restart has happened once it is seen.
        await EventFilter.Exception<ActorKilledException>(source: resolver.Path.ToString()).ExpectOneAsync(() =>
        {
            resolver.Tell(Kill.Instance);
            return Task.CompletedTask;
        });

        await ConnectByNameAsync(local.Port);
        Assert.Equal(resolver, await IdentifyOneAsync(Io.Path / IoManager.ResolverName));
        // Restarted, not stopped: the watcher saw no Terminated.
        Assert.False(watcher.HasMessages, "the resolver was stopped instead of restarted");
    }

    [Fact]
    public async Task ResolverChild_Stopped_NextNameStartsANewOneThatResolves()
    {
        var (_, _, local) = await BindAsync();
        await ConnectByNameAsync(local.Port);
        var resolver = await IdentifyOneAsync(Io.Path / IoManager.ResolverName);
        Watch(resolver);
        resolver.Tell(PoisonPill.Instance);
        await ExpectTerminatedAsync(resolver);

        await ConnectByNameAsync(local.Port);
        var replacement = await IdentifyOneAsync(Io.Path / IoManager.ResolverName);
        Assert.NotEqual(resolver, replacement);
    }

    /// <summary>Connects to tcp:localhost:PORT through the IO manager, which resolves the name with its resolver child.</summary>
    private async Task ConnectByNameAsync(int port)
    {
        var client = CreateTestProbe();
        Io.Tell(new SockStream.Connect(Endpoint.Tcp("localhost", port)), client.Ref);
        var connected = await client.ExpectMsgAsync<SockStream.Connected>();
        Assert.Equal($"tcp:127.0.0.1:{port}", connected.RemoteAddress.ToString());
        client.LastSender.Tell(SockStream.Abort.Instance, client.Ref);
        await client.ExpectMsgAsync<SockStream.Aborted>();
    }
}
