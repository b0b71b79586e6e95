namespace Agent.Actors.Kernel;

/// <summary>
/// System-wide publish/subscribe by message type: a subscriber to a type receives every
/// published event assignable to it.
/// </summary>
public sealed class EventStream
{
    private (Type Channel, IActorRef Subscriber)[] _subscriptions = [];

    /// <summary>Subscribes; false when the subscription already existed.</summary>
    public bool Subscribe(IActorRef subscriber, Type channel)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentNullException.ThrowIfNull(channel);
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            if (Array.Exists(current, s => s.Channel == channel && s.Subscriber.Equals(subscriber)))
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _subscriptions, [.. current, (channel, subscriber)], current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Removes one subscription; false when there was none.</summary>
    public bool Unsubscribe(IActorRef subscriber, Type channel) =>
        Remove(s => s.Channel == channel && s.Subscriber.Equals(subscriber));

    /// <summary>Removes every subscription of <paramref name="subscriber"/>.</summary>
    public bool Unsubscribe(IActorRef subscriber) => Remove(s => s.Subscriber.Equals(subscriber));

    /// <summary>Delivers <paramref name="event"/> to every subscriber of a type it is assignable to.</summary>
    public void Publish(object @event)
    {
        ArgumentNullException.ThrowIfNull(@event);
        var type = @event.GetType();
        foreach (var (channel, subscriber) in Volatile.Read(ref _subscriptions))
        {
            if (channel.IsAssignableFrom(type))
            {
                subscriber.Tell(@event, null);
            }
        }
    }

    private bool Remove(Predicate<(Type Channel, IActorRef Subscriber)> match)
    {
        while (true)
        {
            var current = Volatile.Read(ref _subscriptions);
            var next = Array.FindAll(current, s => !match(s));
            if (next.Length == current.Length)
            {
                return false;
            }
            if (Interlocked.CompareExchange(ref _subscriptions, next, current) == current)
            {
                return true;
            }
        }
    }
}
