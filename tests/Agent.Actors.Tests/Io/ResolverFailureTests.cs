using System.Net;
using Agent.Actors.Io;
using Agent.Messages;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// Every command that names a host gets exactly one reply even when the <see cref="IAddressResolver"/> throws
/// something other than <see cref="AddressResolutionException"/> (an ask that timed out, a resolver bug), whether it
/// throws at once or later. Resolution used to catch only its own exception type, and such a command got no reply.
/// </summary>
public sealed class ResolverFailureTests(ITestOutputHelper output) : IoTestBase(output)
{
    private const string Host = "throws.test";

    public static TheoryData<string, string, bool> Cases()
    {
        var data = new TheoryData<string, string, bool>();
        foreach (var command in new[] { "stream-bind", "stream-connect", "create-connection", "dgram-bind", "dgram-connect", "dgram-send" })
        {
            foreach (var error in new[] { "ask-timeout", "invalid-operation" })
            {
                data.Add(command, error, false);
                data.Add(command, error, true);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Command_ResolverThrowsOtherException_ExactlyOneCommandFailed(string command, string error, bool later)
    {
        var resolver = new ThrowingResolver(error, later);
        var io = Sys.ActorOf(IoManager.Props(resolver: resolver));
        var handler = CreateTestProbe();
        IActorRef? endpoint = null;
        object sent;
        if (command == "dgram-send")
        {
            io.Tell(new SockDgram.Bind(Endpoint.Parse("udp:127.0.0.1:0")), handler.Ref);
            await handler.ExpectMsgAsync<SockDgram.Bound>();
            endpoint = handler.LastSender;
            sent = new SockDgram.Send("x"u8.ToArray(), Endpoint.Udp(Host, 9), Ack: 1);
            endpoint.Tell(sent, handler.Ref);
        }
        else
        {
            sent = command switch
            {
                "stream-bind" => new SockStream.Bind(Endpoint.Tcp(Host, 0)),
                "stream-connect" => new SockStream.Connect(Endpoint.Tcp(Host, 9)),
                "create-connection" => new SockStream.CreateConnection(Host, 9),
                "dgram-bind" => new SockDgram.Bind(Endpoint.Udp(Host, 0)),
                _ => new SockDgram.Connect(Endpoint.Udp(Host, 9)),
            };
            io.Tell(sent, handler.Ref);
        }

        var reply = await handler.ExpectMsgAsync<object>();
        var (failedCommand, cause) = reply switch
        {
            SockStream.CommandFailed f => ((object)f.Cmd, f.Cause),
            SockDgram.CommandFailed f => (f.Cmd, f.Cause),
            _ => throw new Xunit.Sdk.XunitException($"expected CommandFailed, got {reply}"),
        };
        Assert.Same(sent, failedCommand);
        if (error == "ask-timeout")
        {
            Assert.Equal("TimeoutError", cause.Kind);
        }
        else
        {
            Assert.Contains("resolver bug", cause.Strerror, StringComparison.Ordinal);
        }
        Assert.True(resolver.Calls > 0, "the command never reached the resolver");

        // Nothing else follows: a failed bind, connect or race stops its actor, so its Terminated comes next; a
        // datagram endpoint lives on, so it is unbound, and Unbound and then Terminated come next.
        var replier = handler.LastSender;
        if (endpoint is not null)
        {
            Assert.Equal(endpoint, replier);
            endpoint.Tell(SockDgram.Unbind.Instance, handler.Ref);
            await handler.ExpectMsgAsync<SockDgram.Unbound>();
        }
        await ExpectStoppedWithNothingMoreAsync(handler, replier);
    }

    /// <summary>Throws <c>error</c> for every host: at once, or after yielding (from a continuation, as a real lookup would).</summary>
    private sealed class ThrowingResolver(string error, bool later) : IAddressResolver
    {
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            return later ? ThrowLaterAsync() : throw Error();
        }

        private async Task<IReadOnlyList<IPAddress>> ThrowLaterAsync()
        {
            await Task.Yield();
            throw Error();
        }

        private Exception Error() => error == "ask-timeout"
            ? new AskTimeoutException("Timeout after 15.00 seconds")
            : new InvalidOperationException("resolver bug");
    }
}
