using Agent.TestKit;
using System.Threading.Channels;
using Agent.Actors.Kernel;
using Agent.Actors.Tests.TestBeds;

namespace Agent.Actors.Tests.Io;

/// <summary>
/// A test actor that queues everything it receives, with its sender, for the test to await
/// (deadlines scaled by AGENT_TEST_TIME_FACTOR). Stands in until the shared TestKit lands.
/// </summary>
public sealed class Probe
{
    private readonly Channel<(object Message, IActorRef Sender)> _inbox = Channel.CreateUnbounded<(object, IActorRef)>();

    private Probe(ActorSystem system, string? name)
    {
        Ref = system.ActorOf(Props.FromFactory(() => new ProbeActor(_inbox.Writer)), name);
    }

    /// <summary>The probe's actor.</summary>
    public IActorRef Ref { get; }

    /// <summary>A new probe in <paramref name="system"/>.</summary>
    public static Probe Create(ActorSystem system, string? name = null) => new(system, name);

    /// <summary>The next message, which must be a <typeparamref name="T"/>, within <paramref name="seconds"/> (dilated).</summary>
    public async Task<(T Message, IActorRef Sender)> ExpectAsync<T>(double seconds = 5)
    {
        using var cancel = new CancellationTokenSource(TestBed.Dilated(seconds));
        try
        {
            var (message, sender) = await _inbox.Reader.ReadAsync(cancel.Token);
            return message is T typed
                ? (typed, sender)
                : throw new Xunit.Sdk.XunitException($"expected {typeof(T).Name}, got {message}");
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} within {TestBed.Dilated(seconds)}");
        }
    }

    /// <summary>The next message of type <typeparamref name="T"/>, skipping others, within <paramref name="seconds"/> (dilated).</summary>
    public async Task<(T Message, IActorRef Sender)> FishAsync<T>(double seconds = 5)
    {
        using var cancel = new CancellationTokenSource(TestBed.Dilated(seconds));
        try
        {
            while (true)
            {
                var (message, sender) = await _inbox.Reader.ReadAsync(cancel.Token);
                if (message is T typed)
                {
                    return (typed, sender);
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new Xunit.Sdk.XunitException($"no {typeof(T).Name} within {TestBed.Dilated(seconds)}");
        }
    }

    /// <summary>Messages already queued and not yet taken.</summary>
    public List<object> Drain()
    {
        var list = new List<object>();
        while (_inbox.Reader.TryRead(out var item))
        {
            list.Add(item.Message);
        }
        return list;
    }

    private sealed class ProbeActor : ReceiveActor
    {
        public ProbeActor(ChannelWriter<(object, IActorRef)> writer) =>
            ReceiveAny(message => writer.TryWrite((message, Sender)));
    }
}
