namespace Agent.Actors.Kernel;

/// <summary>
/// Where undeliverable messages go: each is published as <see cref="DeadLetter"/> on the
/// event stream and logged, at most <c>DeadLetterLogLimit</c> lines per
/// <c>DeadLetterLogWindow</c> (then one line counting the suppressed ones).
/// </summary>
internal sealed class DeadLetterActorRef(ActorSystem system, ActorPath path) : ActorRefBase
{
    private readonly Lock _gate = new();
    private long _windowStart;
    private int _loggedInWindow;
    private int _suppressedInWindow;

    public override ActorPath Path { get; } = path;

    internal override bool IsTerminated => false;

    public override void Tell(object message, IActorRef? sender)
    {
        switch (message)
        {
            case DeadLetter letter:
                Publish(letter);
                break;
            default:
                Publish(message, sender, this);
                break;
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        if (message is Watch watch)
        {
            watch.Watcher.SendSystemMessage(new DeathWatchNotification(watch.Watchee, ExistenceConfirmed: false, AddressTerminated: false));
        }
    }

    public void Publish(object message, IActorRef? sender, IActorRef recipient) =>
        Publish(new DeadLetter(message, sender ?? this, recipient));

    private void Publish(DeadLetter letter)
    {
        system.EventStream.Publish(letter);
        var limit = system.Settings.DeadLetterLogLimit;
        if (limit <= 0)
        {
            return;
        }
        int suppressed;
        lock (_gate)
        {
            var now = system.TimeProvider.GetTimestamp();
            suppressed = 0;
            if (_loggedInWindow == 0 || system.TimeProvider.GetElapsedTime(_windowStart, now) > system.Settings.DeadLetterLogWindow)
            {
                suppressed = _suppressedInWindow;
                _windowStart = now;
                _loggedInWindow = 0;
                _suppressedInWindow = 0;
            }
            if (_loggedInWindow >= limit)
            {
                _suppressedInWindow++;
                return;
            }
            _loggedInWindow++;
        }
        if (suppressed > 0)
        {
            system.Log.Info("{Count} dead letters were not logged in the previous window", suppressed);
        }
        system.Log.Info("Message [{MessageType}] from {Sender} to {Recipient} was not delivered (dead letter)",
            letter.Message.GetType().Name, letter.Sender.Path, letter.Recipient.Path);
    }
}
