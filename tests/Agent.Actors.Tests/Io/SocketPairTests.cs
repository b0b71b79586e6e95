using System.Text;
using Agent.Actors.Io;
using Agent.Messages.Io;

namespace Agent.Actors.Tests.Io;

public sealed class SocketPairTests(ITestOutputHelper output) : IoTestBase(output)
{
    [Theory]
    [InlineData(false, "SOCK_STREAM")]
    [InlineData(true, "SOCK_DGRAM")]
    public async Task SocketPair_ParentAndChildActors_PlayPingPong(bool datagram, string type)
    {
        var requester = CreateTestProbe();
        Io.Tell(new SocketPair(datagram), requester.Ref);
        var opened = await requester.ExpectMsgAsync<SocketPairOpened>();
        Assert.Equal(("AF_UNIX", type), (opened.FirstInfo.Family, opened.FirstInfo.Type));

        // The seed's parent/child, as two actors: the child answers ping with pong.
        var parent = CreateTestProbe();
        var child = Sys.ActorOf(Props.Create(() => new Child()));
        opened.First.Tell(SockStream.Register.Instance, parent.Ref);
        opened.Second.Tell(SockStream.Register.Instance, child);
        opened.First.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("ping")), parent.Ref);
        var response = await parent.ExpectMsgAsync<SockStream.Received>();
        Assert.Equal("pong", Encoding.ASCII.GetString(response.Data.Span));

        opened.First.Tell(SockStream.Close.Instance, parent.Ref);
        await parent.ExpectMsgAsync<SockStream.Closed>();
    }

    public sealed class Child : ReceiveActor
    {
        public Child() => Receive<SockStream.Received>(r =>
        {
            if (Encoding.ASCII.GetString(r.Data.Span) == "ping")
            {
                Sender.Tell(new SockStream.Write(Encoding.ASCII.GetBytes("pong")), Self);
            }
        });
    }
}
