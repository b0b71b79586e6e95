namespace Agent.Actors.Kernel;

/// <summary>Request-reply from outside (or inside) actors.</summary>
public static class AskExtensions
{
    /// <summary>
    /// Sends <paramref name="message"/> with a temporary actor as sender and completes with
    /// the first reply. A <see cref="Status.Failure"/> reply throws its cause; a reply of
    /// another type throws <see cref="InvalidCastException"/>; no reply within
    /// <paramref name="timeout"/> (default: the system's <c>AskTimeout</c>) throws
    /// <see cref="AskTimeoutException"/>; cancellation throws <see cref="TaskCanceledException"/>.
    /// </summary>
    public static async Task<T> Ask<T>(this IActorRef receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var reply = await receiver.Ask(message, timeout, cancellationToken).ConfigureAwait(false);
        return reply switch
        {
            T typed => typed,
            _ => throw new InvalidCastException($"Ask of {message.GetType().Name} to {receiver.Path} expected {typeof(T).Name} but got {reply.GetType().Name}."),
        };
    }

    /// <summary>As <see cref="Ask{T}"/>, returning the reply untyped (a <see cref="Status.Failure"/> still throws).</summary>
    public static Task<object> Ask(this IActorRef receiver, object message, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receiver);
        ArgumentNullException.ThrowIfNull(message);
        var system = SystemOf(receiver) ?? throw new InvalidOperationException($"Cannot ask {receiver}: it is not a ref of a local actor system.");
        var promise = new PromiseActorRef(system, receiver, message);
        promise.Start(timeout ?? system.Settings.AskTimeout, cancellationToken);
        receiver.Tell(message, promise);
        return promise.Task;
    }

    private static ActorSystem? SystemOf(IActorRef actor) => actor switch
    {
        LocalActorRef local => local.Cell.System,
        IHasSystem owned => owned.System,
        _ => ActorCell.Current?.System,
    };
}

/// <summary>Refs that know their system (used to find the system of an Ask target).</summary>
internal interface IHasSystem
{
    ActorSystem System { get; }
}

/// <summary>The temporary actor behind an Ask: the first message it receives completes the task.</summary>
internal sealed class PromiseActorRef : ActorRefBase
{
    private static long s_sequence;

    private readonly ActorSystem _system;
    private readonly IActorRef _target;
    private readonly object _message;
    private readonly TaskCompletionSource<object> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _id = Interlocked.Increment(ref s_sequence);
    private ITimer? _timer;
    private CancellationTokenRegistration _registration;
    private ActorPath? _path;
    private HashSet<IInternalActorRef>? _watchers;

    public PromiseActorRef(ActorSystem system, IActorRef target, object message)
    {
        _system = system;
        _target = target;
        _message = message;
    }

    public Task<object> Task => _completion.Task;

    public override ActorPath Path => _path ??= _system.TempPath.Child("$" + _id.ToString(System.Globalization.CultureInfo.InvariantCulture));

    internal override bool IsTerminated => _completion.Task.IsCompleted;

    public void Start(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (cancellationToken.CanBeCanceled)
        {
            _registration = cancellationToken.Register(static s => ((PromiseActorRef)s!).Complete(null, canceled: true), this);
        }
        if (timeout != Timeout.InfiniteTimeSpan)
        {
            if (timeout <= TimeSpan.Zero)
            {
                throw new ArgumentOutOfRangeException(nameof(timeout), timeout, "An ask timeout must be positive.");
            }
            _timer = _system.TimeProvider.CreateTimer(static s => ((PromiseActorRef)s!).TimedOut(), this, timeout, Timeout.InfiniteTimeSpan);
        }
    }

    public override void Tell(object message, IActorRef? sender)
    {
        if (!Complete(message, canceled: false))
        {
            _system.DeadLetterRef.Publish(message, sender, this);
        }
    }

    internal override void SendSystemMessage(SystemMessage message)
    {
        switch (message)
        {
            case Watch watch:
                lock (_completion)
                {
                    if (!_completion.Task.IsCompleted)
                    {
                        (_watchers ??= []).Add(watch.Watcher);
                        return;
                    }
                }
                watch.Watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: false, AddressTerminated: false));
                break;
            case Unwatch unwatch:
                lock (_completion)
                {
                    _watchers?.Remove(unwatch.Watcher);
                }
                break;
        }
    }

    private void TimedOut() =>
        Complete(new AskTimeoutException($"Ask timed out on {_target} after waiting for a reply to {_message.GetType().Name}."), canceled: false, isTimeout: true);

    private bool Complete(object? reply, bool canceled, bool isTimeout = false)
    {
        bool done;
        lock (_completion)
        {
            done = canceled
                ? _completion.TrySetCanceled()
                : isTimeout
                    ? _completion.TrySetException((Exception)reply!)
                    : reply is Status.Failure failure
                        ? _completion.TrySetException(failure.Cause)
                        : _completion.TrySetResult(reply!);
        }
        if (!done)
        {
            return false;
        }
        _timer?.Dispose();
        _registration.Dispose();
        if (_watchers is { } watchers)
        {
            foreach (var watcher in watchers)
            {
                watcher.SendSystemMessage(new DeathWatchNotification(this, ExistenceConfirmed: true, AddressTerminated: false));
            }
        }
        return true;
    }
}
