namespace Agent.Actors.Tests.Kernel;

public sealed class AskTests(ITestOutputHelper output) : ActorTestKit(output)
{
    private sealed record Hold;

    private sealed record ReplyNow(object Reply);

    /// <summary>Replies at once to strings, holds the sender of <see cref="Hold"/> until told to reply.</summary>
    private sealed class Responder : ReceiveActor
    {
        private IActorRef? _held;

        public Responder()
        {
            Receive<string>(s => Sender.Tell($"re:{s}"));
            Receive<Hold>(_ => _held = Sender);
            Receive<ReplyNow>(r => _held?.Tell(r.Reply));
            Receive<Exception>(e => Sender.Tell(new Status.Failure(e)));
            Receive<int>(i => Sender.Tell(i));
        }
    }

    private IActorRef NewResponder() => ActorOf(Props.Create<Responder>());

    [Fact]
    public async Task Ask_TargetReplies_CompletesWithTheReply()
    {
        var reply = await NewResponder().Ask<string>("hi", Dilated(TimeSpan.FromSeconds(3)));
        Assert.Equal("re:hi", reply);
    }

    [Fact]
    public async Task Ask_ManyConcurrent_EachGetsItsOwnReply()
    {
        var responder = NewResponder();
        var replies = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => responder.Ask<int>(i, Dilated(TimeSpan.FromSeconds(5)))));
        Assert.Equal(Enumerable.Range(0, 200), replies);
    }

    [Fact]
    public async Task Ask_NoReply_ThrowsAskTimeoutExceptionAfterTheTimeout()
    {
        var started = System.Diagnostics.Stopwatch.StartNew();
        await Assert.ThrowsAsync<AskTimeoutException>(() => NewResponder().Ask<string>(new Hold(), TimeSpan.FromMilliseconds(150)));
        Assert.True(started.Elapsed >= TimeSpan.FromMilliseconds(140), $"timed out after only {started.Elapsed}");
    }

    [Fact]
    public async Task Ask_DeadTarget_ThrowsAskTimeoutException()
    {
        var responder = NewResponder();
        Watch(responder);
        Sys.Stop(responder);
        ExpectTerminated(responder);
        await Assert.ThrowsAsync<AskTimeoutException>(() => responder.Ask<string>("hi", TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task Ask_ReplyAfterTimeout_GoesToDeadLetters()
    {
        var responder = NewResponder();
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        await Assert.ThrowsAsync<AskTimeoutException>(() => responder.Ask<string>(new Hold(), TimeSpan.FromMilliseconds(50)));
        responder.Tell(new ReplyNow("late"), ActorRefs.NoSender);
        var letter = ExpectMsg<DeadLetter>();
        Assert.Equal("late", letter.Message);
        Assert.StartsWith("/temp/", letter.Recipient.Path.ToStringWithoutAddress(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ask_TokenCancelled_ThrowsTaskCanceledException()
    {
        using var cts = new CancellationTokenSource();
        var ask = NewResponder().Ask<string>(new Hold(), Timeout.InfiniteTimeSpan, cts.Token);
        Assert.False(ask.IsCompleted);
        await cts.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => ask);
    }

    [Fact]
    public async Task Ask_TokenAlreadyCancelled_ThrowsTaskCanceledException()
    {
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();
        await Assert.ThrowsAsync<TaskCanceledException>(() => NewResponder().Ask<string>(new Hold(), TimeSpan.FromSeconds(30), cts.Token));
    }

    [Fact]
    public async Task Ask_StatusFailureReply_RethrowsTheCause()
    {
        var cause = new InvalidOperationException("nope");
        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => NewResponder().Ask<string>(cause, Dilated(TimeSpan.FromSeconds(3))));
        Assert.Same(cause, thrown);
    }

    [Fact]
    public async Task Ask_ReplyOfAnotherType_ThrowsInvalidCastException()
    {
        await Assert.ThrowsAsync<InvalidCastException>(() => NewResponder().Ask<int>("hi", Dilated(TimeSpan.FromSeconds(3))));
    }

    [Fact]
    public async Task Ask_FromInsideAnAsyncHandler_ReplyArrivesInTheActor()
    {
        var responder = NewResponder();
        var asker = ActorOf(Props.Create(() => new Asker(responder)));
        Send(asker, "x");
        ExpectMsg("got re:x");
        await Task.CompletedTask;
    }

    [Fact]
    public void Ask_NonPositiveTimeout_IsRejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => NewResponder().Ask("hi", TimeSpan.Zero).GetAwaiter().GetResult());
    }

    private sealed class Asker : ReceiveActor
    {
        public Asker(IActorRef responder)
        {
            ReceiveAsync<string>(async s =>
            {
                var sender = Sender;
                var reply = await responder.Ask<string>(s, TimeSpan.FromSeconds(10));
                sender.Tell($"got {reply}");
            });
        }
    }
}
