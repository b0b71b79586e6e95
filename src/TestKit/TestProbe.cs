using System.Diagnostics;
using System.Threading.Channels;
using Agent.Actors.Kernel;

namespace Agent.TestKit;

/// <summary>
/// An actor whose received messages a test can expect, in order, with deadlines
/// (Akka.TestKit's <c>TestProbe</c>). Every default timeout is dilated by the time factor.
/// Blocking and async forms of each expectation are offered.
/// </summary>
public sealed class TestProbe
{
    private readonly Channel<Received> _queue = Channel.CreateUnbounded<Received>(new UnboundedChannelOptions { SingleReader = true });
    private DateTimeOffset? _deadline;

    internal TestProbe(ActorSystem system, string? name)
    {
        System = system;
        Ref = system.ActorOf(Props.FromFactory(() => new ProbeActor(_queue.Writer)), name);
    }

    /// <summary>A probe in <paramref name="system"/>, for tests that own their system instead of deriving from <see cref="TestKit"/>.</summary>
    public static TestProbe Create(ActorSystem system, string? name = null) => new(system, name);

    /// <summary>True when a message has arrived that no expectation has taken yet.</summary>
    public bool HasMessages => _queue.Reader.TryPeek(out _);

    /// <summary>The system the probe lives in.</summary>
    public ActorSystem System { get; }

    /// <summary>The probe's ref: send it messages, or use it as a sender.</summary>
    public IActorRef Ref { get; }

    /// <summary>The sender of the message expected last.</summary>
    public IActorRef LastSender { get; private set; } = ActorRefs.Nobody;

    /// <summary>Tells <paramref name="message"/> to <paramref name="target"/> with the probe as sender.</summary>
    public void Send(IActorRef target, object message) => target.Tell(message, Ref);

    /// <summary>Replies to <see cref="LastSender"/> with the probe as sender.</summary>
    public void Reply(object message) => LastSender.Tell(message, Ref);

    /// <summary>Forwards <paramref name="message"/> to <paramref name="target"/> keeping <see cref="LastSender"/> as sender.</summary>
    public void Forward(IActorRef target, object message) => target.Tell(message, LastSender);

    /// <summary>Makes the probe watch <paramref name="target"/>; its <see cref="Terminated"/> then arrives here.</summary>
    public IActorRef Watch(IActorRef target)
    {
        Ref.Ask<ProbeActor.Done>(new ProbeActor.WatchCommand(target, Unwatch: false), Remaining(null)).GetAwaiter().GetResult();
        return target;
    }

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    public IActorRef Unwatch(IActorRef target)
    {
        Ref.Ask<ProbeActor.Done>(new ProbeActor.WatchCommand(target, Unwatch: true), Remaining(null)).GetAwaiter().GetResult();
        return target;
    }

    /// <summary>Expects a message of type <typeparamref name="T"/> (matching <paramref name="predicate"/>) within the timeout.</summary>
    public T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) =>
        ExpectMsgAsync(predicate, timeout).GetAwaiter().GetResult();

    /// <summary>Expects a message equal to <paramref name="expected"/> within the timeout.</summary>
    public T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull =>
        ExpectMsgAsync(expected, timeout).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="ExpectMsg{T}(Predicate{T}?, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null)
    {
        var max = Remaining(timeout);
        var received = await NextAsync(max).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({max}) while waiting for a message of type {typeof(T).Name}");
        if (received.Message is not T typed)
        {
            throw new TestKitAssertionException($"Expected a message of type {typeof(T).Name} but got {Describe(received.Message)} from {received.Sender}");
        }
        if (predicate is not null && !predicate(typed))
        {
            throw new TestKitAssertionException($"The message {Describe(typed)} from {received.Sender} did not match the predicate");
        }
        return typed;
    }

    /// <summary>Async form of <see cref="ExpectMsg{T}(T, TimeSpan?)"/>.</summary>
    public async Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) where T : notnull
    {
        var max = Remaining(timeout);
        var received = await NextAsync(max).ConfigureAwait(false)
            ?? throw new TestKitAssertionException($"Timeout ({max}) while waiting for {Describe(expected)}");
        if (!Equals(received.Message, expected))
        {
            throw new TestKitAssertionException($"Expected {Describe(expected)} but got {Describe(received.Message)} from {received.Sender}");
        }
        return (T)received.Message;
    }

    /// <summary>Asserts that no message arrives during <paramref name="duration"/> (dilated).</summary>
    public void ExpectNoMsg(TimeSpan duration) => ExpectNoMsgAsync(duration).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="ExpectNoMsg"/>.</summary>
    public async Task ExpectNoMsgAsync(TimeSpan duration)
    {
        var received = await NextAsync(TestKitSettings.Dilated(duration)).ConfigureAwait(false);
        if (received is not null)
        {
            throw new TestKitAssertionException($"Expected no message for {duration} but got {Describe(received.Message)} from {received.Sender}");
        }
    }

    /// <summary>Expects the <see cref="Terminated"/> of <paramref name="target"/> (watch it first).</summary>
    public Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsg<Terminated>(t => t.ActorRef.Equals(target), timeout);

    /// <summary>Async form of <see cref="ExpectTerminated"/>.</summary>
    public Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) =>
        ExpectMsgAsync<Terminated>(t => t.ActorRef.Equals(target), timeout);

    /// <summary>Receives <paramref name="count"/> messages within the (total) timeout.</summary>
    public IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) => ReceiveNAsync(count, timeout).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="ReceiveN"/>.</summary>
    public async Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null)
    {
        var max = Remaining(timeout);
        var stopwatch = Stopwatch.StartNew();
        var messages = new List<object>(count);
        while (messages.Count < count)
        {
            var left = max - stopwatch.Elapsed;
            var received = left > TimeSpan.Zero ? await NextAsync(left).ConfigureAwait(false) : null;
            if (received is null)
            {
                throw new TestKitAssertionException($"Timeout ({max}) after receiving {messages.Count} of {count} messages");
            }
            messages.Add(received.Message);
        }
        return messages;
    }

    /// <summary>Skips messages until one satisfies <paramref name="isTheOne"/>, within the timeout; returns it.</summary>
    public object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null) =>
        FishForMessageAsync(isTheOne, timeout).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="FishForMessage"/>.</summary>
    public async Task<object> FishForMessageAsync(Predicate<object> isTheOne, TimeSpan? timeout = null)
    {
        var max = Remaining(timeout);
        var stopwatch = Stopwatch.StartNew();
        while (true)
        {
            var left = max - stopwatch.Elapsed;
            var received = left > TimeSpan.Zero ? await NextAsync(left).ConfigureAwait(false) : null;
            if (received is null)
            {
                throw new TestKitAssertionException($"Timeout ({max}) while fishing for a message");
            }
            if (isTheOne(received.Message))
            {
                return received.Message;
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="action"/>, which must take between <paramref name="min"/> and
    /// <paramref name="max"/> (dilated); expectations inside default to the time left.
    /// </summary>
    public void Within(TimeSpan min, TimeSpan max, Action action) =>
        WithinAsync(min, max, () =>
        {
            action();
            return Task.CompletedTask;
        }).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="Within"/>.</summary>
    public async Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> action)
    {
        var dilatedMax = TestKitSettings.Dilated(max);
        var stopwatch = Stopwatch.StartNew();
        var outer = _deadline;
        var deadline = DateTimeOffset.UtcNow + dilatedMax;
        _deadline = outer is { } o && o < deadline ? o : deadline;
        try
        {
            await action().ConfigureAwait(false);
        }
        finally
        {
            _deadline = outer;
        }
        var elapsed = stopwatch.Elapsed;
        if (elapsed < min)
        {
            throw new TestKitAssertionException($"Block finished in {elapsed}, before the minimum {min}");
        }
        if (elapsed > dilatedMax)
        {
            throw new TestKitAssertionException($"Block took {elapsed}, longer than {dilatedMax}");
        }
    }

    private TimeSpan Remaining(TimeSpan? timeout)
    {
        if (timeout is { } explicitTimeout)
        {
            return TestKitSettings.Dilated(explicitTimeout);
        }
        if (_deadline is { } deadline)
        {
            var left = deadline - DateTimeOffset.UtcNow;
            return left > TimeSpan.Zero ? left : TimeSpan.Zero;
        }
        return TestKitSettings.Dilated(TestKitSettings.DefaultSingleExpect);
    }

    private async Task<Received?> NextAsync(TimeSpan max)
    {
        if (_queue.Reader.TryRead(out var ready))
        {
            LastSender = ready.Sender;
            return ready;
        }
        using var cts = new CancellationTokenSource(max);
        try
        {
            var received = await _queue.Reader.ReadAsync(cts.Token).ConfigureAwait(false);
            LastSender = received.Sender;
            return received;
        }
        catch (OperationCanceledException) when (cts.IsCancellationRequested)
        {
            return null;
        }
    }

    private static string Describe(object? message) => message is null ? "null" : $"{message} ({message.GetType().Name})";

    internal sealed record Received(object Message, IActorRef Sender);

    private sealed class ProbeActor(ChannelWriter<Received> queue) : UntypedActor
    {
        public sealed record WatchCommand(IActorRef Target, bool Unwatch);

        public sealed record Done;

        protected override void OnReceive(object message)
        {
            if (message is WatchCommand command)
            {
                if (command.Unwatch)
                {
                    Context.Unwatch(command.Target);
                }
                else
                {
                    Context.Watch(command.Target);
                }
                Sender.Tell(new Done(), Self);
                return;
            }
            queue.TryWrite(new Received(message, Sender));
        }
    }
}
