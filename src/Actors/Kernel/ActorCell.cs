namespace Agent.Actors.Kernel;

/// <summary>
/// The runtime side of one actor: its mailbox, behavior, children, watchers and
/// lifecycle. Only the thread currently running the cell touches its state; other
/// threads only enqueue.
/// </summary>
internal sealed partial class ActorCell : IActorContext
{
    [ThreadStatic]
    private static ActorCell? t_current;

    [ThreadStatic]
    private static ActorCell? t_constructing;

    private readonly ActorSystem _system;
    private readonly IInternalActorRef _parent;
    private readonly LocalActorRef _self;
    private readonly Props _props;
    private ActorBase? _actor;
    private Envelope? _current;
    private LifecycleState _state;
    private Extras? _x;

    public ActorCell(ActorSystem system, Props props, ActorPath path, IInternalActorRef parent)
    {
        _system = system;
        _props = props;
        _parent = parent;
        _self = new LocalActorRef(this, path);
    }

    private enum LifecycleState : byte
    {
        Creating,
        Running,
        Terminating,
        Terminated,
    }

    /// <summary>The cell whose message is being handled on this thread.</summary>
    public static ActorCell? Current => t_current;

    /// <summary>The cell whose actor instance is being constructed on this thread.</summary>
    public static ActorCell? Constructing => t_constructing;

    public IActorRef Self => _self;

    public LocalActorRef SelfRef => _self;

    public IActorRef Sender => _current?.Sender ?? _system.DeadLetters;

    public IActorRef Parent => _parent;

    public Props Props => _props;

    public ActorSystem System => _system;

    public ActorBase? Actor => _actor;

    public bool IsTerminated => _state == LifecycleState.Terminated;

    public TimeSpan? ReceiveTimeout => _x?.ReceiveTimeout;

    private Extras X => _x ??= new Extras();

    public ILoggingAdapter GetLogger() => X.Log ??= _system.Logging.For(_self.Path, _actor?.GetType() ?? _props.ActorType);

    public ActorSelection ActorSelection(string path) => Kernel.ActorSelection.Create(_system, _self.Path, path);

    public void Become(Receive receive)
    {
        var stack = X.Behaviors ??= [];
        if (stack.Count > 0)
        {
            stack[^1] = receive;
        }
        else
        {
            stack.Add(receive);
        }
    }

    public void BecomeStacked(Receive receive) => (X.Behaviors ??= []).Add(receive);

    public void UnbecomeStacked()
    {
        if (_x?.Behaviors is { Count: > 0 } stack)
        {
            stack.RemoveAt(stack.Count - 1);
        }
    }

    public void SetReceiveTimeout(TimeSpan? timeout)
    {
        var x = X;
        x.ReceiveTimeout = timeout is { } t && t > TimeSpan.Zero && t != Timeout.InfiniteTimeSpan ? t : null;
        if (x.ReceiveTimeout is { } due)
        {
            x.ReceiveTimeoutTimer ??= _system.TimeProvider.CreateTimer(
                static state => ((LocalActorRef)state!).Tell(Kernel.ReceiveTimeout.Instance, null), _self, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            x.ReceiveTimeoutTimer.Change(due, Timeout.InfiniteTimeSpan);
        }
        else
        {
            CancelReceiveTimeout();
        }
    }

    private void CancelReceiveTimeout()
    {
        if (_x?.ReceiveTimeoutTimer is { } timer)
        {
            timer.Dispose();
            _x.ReceiveTimeoutTimer = null;
        }
    }

    private void RestartReceiveTimeout()
    {
        if (_x is { ReceiveTimeout: { } due, ReceiveTimeoutTimer: { } timer })
        {
            timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Creates the actor instance, with this cell as the one being constructed.</summary>
    private ActorBase NewActor()
    {
        var previous = t_constructing;
        t_constructing = this;
        try
        {
            var actor = _props.Factory();
            if (actor is IWithTimers withTimers)
            {
                withTimers.Timers = X.Timers ??= new TimerScheduler(this);
            }
            if (actor is IWithStash withStash)
            {
                withStash.Stash = X.Stash ??= new UnboundedStash(this);
            }
            return actor;
        }
        finally
        {
            t_constructing = previous;
        }
    }

    /// <summary>State most actors never use, allocated on first use to keep idle actors small.</summary>
    private sealed class Extras
    {
        public List<Receive>? Behaviors;
        public Dictionary<IActorRef, object?>? Watching;
        public HashSet<IActorRef>? WatchedBy;
        public HashSet<IActorRef>? TerminatedQueued;
        public TimeSpan? ReceiveTimeout;
        public ITimer? ReceiveTimeoutTimer;
        public TimerScheduler? Timers;
        public UnboundedStash? Stash;
        public LinkedList<Envelope>? Prepended;
        public ILoggingAdapter? Log;
        public ActorSynchronizationContext? SyncContext;
        public Envelope? AsyncEnvelope;
        public Exception? Failure;
        public object? FailedMessage;
        public Exception? PendingRecreate;
    }
}
