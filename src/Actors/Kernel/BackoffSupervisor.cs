namespace Agent.Actors.Kernel;

/// <summary>When a <see cref="BackoffSupervisor"/> recreates its child.</summary>
public enum BackoffMode
{
    /// <summary>After the child fails (it is stopped, then started again after the backoff). A child that stops by itself stops the supervisor.</summary>
    OnFailure,

    /// <summary>After the child stops for any reason.</summary>
    OnStop,
}

/// <summary>How a <see cref="BackoffSupervisor"/> behaves; immutable.</summary>
public sealed record BackoffOptions(BackoffMode Mode, Props ChildProps, string ChildName, TimeSpan MinBackoff, TimeSpan MaxBackoff, double RandomFactor)
{
    /// <summary>Backoff after the child fails.</summary>
    public static BackoffOptions OnFailure(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnFailure, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>Backoff after the child stops.</summary>
    public static BackoffOptions OnStop(Props childProps, string childName, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor) =>
        new(BackoffMode.OnStop, childProps, childName, minBackoff, maxBackoff, randomFactor);

    /// <summary>The restart count resets once the child has run this long. Defaults to <see cref="MinBackoff"/>.</summary>
    public TimeSpan? ResetBackoff { get; init; }

    /// <summary>Give up (and stop) after this many restarts in a row; -1 (default) for never.</summary>
    public int MaxNrOfRetries { get; init; } = -1;

    /// <summary>Strategy for the child's failures in <see cref="BackoffMode.OnStop"/> mode. Defaults to stopping it.</summary>
    public SupervisorStrategy Strategy { get; init; } = SupervisorStrategy.StoppingStrategy;

    /// <summary>Resets the restart count after the child has run for <paramref name="resetBackoff"/>.</summary>
    public BackoffOptions WithAutoReset(TimeSpan resetBackoff) => this with { ResetBackoff = resetBackoff };

    /// <summary>Limits consecutive restarts.</summary>
    public BackoffOptions WithMaxNrOfRetries(int maxNrOfRetries) => this with { MaxNrOfRetries = maxNrOfRetries };

    /// <summary>Sets the strategy for the child's failures (OnStop mode).</summary>
    public BackoffOptions WithSupervisorStrategy(SupervisorStrategy strategy) => this with { Strategy = strategy };

    /// <summary>Props of the supervisor.</summary>
    public Props Props() => Kernel.BackoffSupervisor.Props(this);
}

/// <summary>
/// Starts a child and, when it fails or stops, starts it again after a growing delay:
/// <c>min(maxBackoff, minBackoff * 2^n) * (1 + random * randomFactor)</c> for the n-th
/// restart. Other messages are forwarded to the current child (dead letters while there
/// is none).
/// </summary>
public sealed class BackoffSupervisor : ActorBase
{
    private readonly BackoffOptions _options;
    private IActorRef? _child;
    private int _restartCount;
    private bool _childFailed;
    private bool _finalStopRequested;

    /// <summary>Creates the supervisor (use <see cref="Props(BackoffOptions)"/>).</summary>
    public BackoffSupervisor(BackoffOptions options) => _options = options;

    /// <summary>Props of a supervisor with these options.</summary>
    public static Props Props(BackoffOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.MinBackoff <= TimeSpan.Zero || options.MaxBackoff < options.MinBackoff)
        {
            throw new ArgumentException("Backoff needs 0 < minBackoff <= maxBackoff.", nameof(options));
        }
        if (options.RandomFactor is < 0 or > 1)
        {
            throw new ArgumentException("The random factor must be between 0 and 1.", nameof(options));
        }
        return Kernel.Props.FromFactory(() => new BackoffSupervisor(options));
    }

    /// <summary>The delay before the restart numbered <paramref name="restartCount"/> (0-based).</summary>
    public static TimeSpan CalculateDelay(int restartCount, TimeSpan minBackoff, TimeSpan maxBackoff, double randomFactor, double random)
    {
        var exponent = Math.Min(restartCount, 30);
        var raw = Math.Min(maxBackoff.Ticks, minBackoff.Ticks * Math.Pow(2, exponent));
        return TimeSpan.FromTicks((long)(raw * (1.0 + (random * randomFactor))));
    }

    /// <summary>Asks the supervisor for its current child; answered with <see cref="CurrentChild"/>.</summary>
    public sealed class GetCurrentChild
    {
        private GetCurrentChild()
        {
        }

        /// <summary>The singleton.</summary>
        public static GetCurrentChild Instance { get; } = new();
    }

    /// <summary>The current child, or null while it is backing off.</summary>
    public sealed record CurrentChild(IActorRef? Ref);

    /// <summary>Asks for the restart count; answered with <see cref="RestartCount"/>.</summary>
    public sealed class GetRestartCount
    {
        private GetRestartCount()
        {
        }

        /// <summary>The singleton.</summary>
        public static GetRestartCount Instance { get; } = new();
    }

    /// <summary>How many restarts in a row have happened.</summary>
    public sealed record RestartCount(int Count);

    /// <summary>Resets the restart count to 0.</summary>
    public sealed class Reset
    {
        private Reset()
        {
        }

        /// <summary>The singleton.</summary>
        public static Reset Instance { get; } = new();
    }

    private sealed record StartChild;

    private sealed record ResetRestartCount(int Current);

    /// <inheritdoc />
    protected internal override void PreStart() => StartChildNow();

    /// <inheritdoc />
    protected internal override SupervisorStrategy SupervisorStrategy() =>
        _options.Mode == BackoffMode.OnFailure
            ? new OneForOneStrategy(cause =>
            {
                _childFailed = true;
                return Directive.Stop;
            })
            : _options.Strategy;

    /// <inheritdoc />
    protected internal override bool Receive(object message)
    {
        switch (message)
        {
            case Terminated terminated when terminated.ActorRef.Equals(_child):
                OnChildTerminated();
                return true;
            case StartChild:
                StartChildNow();
                return true;
            case ResetRestartCount reset:
                if (reset.Current == _restartCount)
                {
                    _restartCount = 0;
                }
                return true;
            case GetCurrentChild:
                Sender.Tell(new CurrentChild(_child), Self);
                return true;
            case GetRestartCount:
                Sender.Tell(new RestartCount(_restartCount), Self);
                return true;
            case Reset:
                _restartCount = 0;
                return true;
            default:
                if (_child is not null)
                {
                    _child.Tell(message, Sender);
                }
                else
                {
                    Context.System.DeadLetters.Tell(new DeadLetter(message, Sender, Self), Sender);
                }
                return true;
        }
    }

    private void StartChildNow()
    {
        if (_child is not null || _finalStopRequested)
        {
            return;
        }
        _childFailed = false;
        _child = Context.Watch(Context.ActorOf(_options.ChildProps, _options.ChildName));
        var reset = _options.ResetBackoff ?? _options.MinBackoff;
        Context.System.Scheduler.ScheduleTellOnce(reset, Self, new ResetRestartCount(_restartCount), Self);
    }

    private void OnChildTerminated()
    {
        _child = null;
        if (_options.Mode == BackoffMode.OnFailure && !_childFailed)
        {
            Context.Stop(Self);
            return;
        }
        if (_options.MaxNrOfRetries >= 0 && _restartCount >= _options.MaxNrOfRetries)
        {
            Context.GetLogger().Warning("Child {ChildName} stopped after {Count} restarts; giving up", _options.ChildName, _restartCount);
            _finalStopRequested = true;
            Context.Stop(Self);
            return;
        }
        var delay = CalculateDelay(_restartCount, _options.MinBackoff, _options.MaxBackoff, _options.RandomFactor, Random.Shared.NextDouble());
        _restartCount++;
        Context.GetLogger().Info("Child {ChildName} stopped; starting it again in {Delay} (restart {Count})", _options.ChildName, delay, _restartCount);
        Context.System.Scheduler.ScheduleTellOnce(delay, Self, new StartChild(), Self);
    }
}
