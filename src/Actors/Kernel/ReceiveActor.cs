namespace Agent.Actors.Kernel;

/// <summary>
/// An actor whose behavior is a list of typed handlers registered with
/// <see cref="Receive{T}(Action{T}, Predicate{T}?)"/>; the first that matches handles the message.
/// </summary>
public abstract class ReceiveActor : ActorBase
{
    private readonly HandlerSet _handlers = new();
    private HandlerSet? _building;

    /// <inheritdoc />
    protected internal sealed override bool Receive(object message) => _handlers.TryHandle(message);

    /// <summary>Handles messages of type <typeparamref name="T"/> (matching <paramref name="when"/>, if given).</summary>
    protected void Receive<T>(Action<T> handler, Predicate<T>? when = null) =>
        Target.Add(new SyncHandler<T>(handler, when));

    /// <summary>Handles messages of type <typeparamref name="T"/> for which <paramref name="handler"/> returns true.</summary>
    protected void Receive<T>(Func<T, bool> handler) => Target.Add(new FuncHandler<T>(handler));

    /// <summary>
    /// Handles messages of type <typeparamref name="T"/> asynchronously; the actor takes no
    /// other message until the returned task completes (Akka.NET's semantics).
    /// </summary>
    protected void ReceiveAsync<T>(Func<T, Task> handler, Predicate<T>? when = null) =>
        Target.Add(new AsyncHandler<T>(handler, when));

    /// <summary>Handles every message not handled by an earlier registration.</summary>
    protected void ReceiveAny(Action<object> handler) => Target.Add(new SyncHandler<object>(handler, null));

    /// <summary>Handles every message not handled by an earlier registration, asynchronously.</summary>
    protected void ReceiveAnyAsync(Func<object, Task> handler) => Target.Add(new AsyncHandler<object>(handler, null));

    /// <summary>Replaces the behavior with the handlers <paramref name="configure"/> registers.</summary>
    protected void Become(Action configure) => Context.Become(Build(configure));

    /// <summary>Pushes the handlers <paramref name="configure"/> registers on top of the current behavior.</summary>
    protected void BecomeStacked(Action configure) => Context.BecomeStacked(Build(configure));

    /// <summary>Pops the behavior pushed last.</summary>
    protected static void UnbecomeStacked() => Context.UnbecomeStacked();

    private HandlerSet Target => _building ?? _handlers;

    private Receive Build(Action configure)
    {
        var set = new HandlerSet();
        var previous = _building;
        _building = set;
        try
        {
            configure();
        }
        finally
        {
            _building = previous;
        }
        return set.TryHandle;
    }

    private sealed class HandlerSet
    {
        private Handler[] _items = [];

        public void Add(Handler handler)
        {
            var items = new Handler[_items.Length + 1];
            _items.CopyTo(items, 0);
            items[^1] = handler;
            _items = items;
        }

        public bool TryHandle(object message)
        {
            foreach (var handler in _items)
            {
                if (handler.TryHandle(message))
                {
                    return true;
                }
            }
            return false;
        }
    }

    private abstract class Handler
    {
        public abstract bool TryHandle(object message);
    }

    private sealed class SyncHandler<T>(Action<T> handler, Predicate<T>? when) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is T typed && (when is null || when(typed)))
            {
                handler(typed);
                return true;
            }
            return false;
        }
    }

    private sealed class FuncHandler<T>(Func<T, bool> handler) : Handler
    {
        public override bool TryHandle(object message) => message is T typed && handler(typed);
    }

    private sealed class AsyncHandler<T>(Func<T, Task> handler, Predicate<T>? when) : Handler
    {
        public override bool TryHandle(object message)
        {
            if (message is not T typed || (when is not null && !when(typed)))
            {
                return false;
            }
            ActorCell.Current!.RunAsyncHandler(() => handler(typed));
            return true;
        }
    }
}
