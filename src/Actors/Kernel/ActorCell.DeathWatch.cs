namespace Agent.Actors.Kernel;

/// <summary>Death watch: who watches this actor, whom it watches, and exactly-once <see cref="Terminated"/>.</summary>
internal sealed partial class ActorCell
{
    public IActorRef Watch(IActorRef subject) => WatchInternal(subject, null);

    public IActorRef WatchWith(IActorRef subject, object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return WatchInternal(subject, message);
    }

    private IActorRef WatchInternal(IActorRef subject, object? message)
    {
        if (subject is not IInternalActorRef target || subject.Equals(_self))
        {
            return subject;
        }
        var watching = X.Watching ??= [];
        var isNew = !watching.ContainsKey(subject);
        watching[subject] = message;
        if (isNew)
        {
            target.SendSystemMessage(new Watch(target, _self));
        }
        return subject;
    }

    public IActorRef Unwatch(IActorRef subject)
    {
        if (subject is IInternalActorRef target && _x?.Watching is { } watching && watching.Remove(subject))
        {
            target.SendSystemMessage(new Unwatch(target, _self));
        }
        _x?.TerminatedQueued?.Remove(subject);
        return subject;
    }

    private void AddWatcher(Watch watch)
    {
        if (watch.Watchee.Equals(_self) && !watch.Watcher.Equals(_self))
        {
            (X.WatchedBy ??= []).Add(watch.Watcher);
        }
    }

    private void RemoveWatcher(Unwatch unwatch)
    {
        if (unwatch.Watchee.Equals(_self))
        {
            _x?.WatchedBy?.Remove(unwatch.Watcher);
        }
    }

    private void WatchedActorTerminated(DeathWatchNotification notification)
    {
        var actor = notification.Actor;
        if (_x?.Watching is { } watching && watching.Remove(actor, out var custom) && _state < LifecycleState.Terminating)
        {
            var message = custom ?? new Terminated(actor, notification.ExistenceConfirmed, notification.AddressTerminated);
            (X.TerminatedQueued ??= []).Add(actor);
            Post(new WatchedTerminated(actor, message), actor);
        }
        if (actor is LocalActorRef local && IsChild(local))
        {
            HandleChildTerminated(local);
        }
    }

    private void TellWatchersWeDied()
    {
        if (_x?.WatchedBy is not { } watchers)
        {
            return;
        }
        foreach (var watcher in watchers)
        {
            if (!watcher.Equals(_parent) && watcher is IInternalActorRef target)
            {
                target.SendSystemMessage(new DeathWatchNotification(_self, ExistenceConfirmed: true, AddressTerminated: false));
            }
        }
        watchers.Clear();
    }

    private void UnwatchWatchedActors()
    {
        if (_x?.Watching is not { } watching)
        {
            return;
        }
        foreach (var subject in watching.Keys)
        {
            if (subject is IInternalActorRef target)
            {
                target.SendSystemMessage(new Unwatch(target, _self));
            }
        }
        watching.Clear();
    }
}

/// <summary>The queued form of a <see cref="Terminated"/> (or WatchWith message), dropped if unwatched before it is handled.</summary>
internal sealed record WatchedTerminated(IActorRef Actor, object Message) : IAutoReceivedMessage;
