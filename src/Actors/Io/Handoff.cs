namespace Agent.Actors.Io;

/// <summary>
/// One resource (an accepted or connected socket) passed from a completion running outside an actor to
/// the actor: the completion offers it and then tells the actor, the actor takes it when that message
/// is handled, and <see cref="Close"/> (from <c>PostStop</c>) disposes whatever was not taken. A message
/// that reaches a stopped actor goes to dead letters, so the resource cannot travel in it without leaking.
/// </summary>
internal sealed class Handoff<T>
    where T : class, IDisposable
{
    private readonly Lock _gate = new();
    private T? _item;
    private bool _closed;

    /// <summary>Leaves <paramref name="item"/> for the actor; disposes it at once if the actor has stopped.</summary>
    public void Offer(T item)
    {
        lock (_gate)
        {
            if (!_closed)
            {
                _item = item;
                return;
            }
        }
        item.Dispose();
    }

    /// <summary>The offered resource, now the caller's; null if there is none.</summary>
    public T? Take()
    {
        lock (_gate)
        {
            var item = _item;
            _item = null;
            return item;
        }
    }

    /// <summary>Refuses later offers and disposes a resource nobody took.</summary>
    public void Close()
    {
        T? left;
        lock (_gate)
        {
            _closed = true;
            left = _item;
            _item = null;
        }
        left?.Dispose();
    }
}
