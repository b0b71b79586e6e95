namespace Agent.Actors.Kernel;

/// <summary>Actors that implement this get a stash, set by the kernel before the first message.</summary>
public interface IWithStash
{
    /// <summary>The actor's stash.</summary>
    IStash Stash { get; set; }
}

/// <summary>
/// Puts the current message aside to handle it later. Unstashed messages go to the front
/// of the mailbox in their original order; on restart the stash is unstashed, on stop its
/// messages become dead letters.
/// </summary>
public interface IStash
{
    /// <summary>Number of stashed messages.</summary>
    int Count { get; }

    /// <summary>Stashes the message being handled.</summary>
    void Stash();

    /// <summary>Returns the oldest stashed message to the front of the mailbox.</summary>
    void Unstash();

    /// <summary>Returns every stashed message to the front of the mailbox, oldest first.</summary>
    void UnstashAll();

    /// <summary>Drops every stashed message and returns them.</summary>
    IReadOnlyList<object> ClearStash();
}

/// <summary>The kernel's unbounded stash; only the owning actor's thread calls it.</summary>
internal sealed class UnboundedStash(ActorCell cell) : IStash
{
    private readonly List<Envelope> _stashed = [];

    public int Count => _stashed.Count;

    public void Stash()
    {
        var current = cell.CurrentEnvelope ?? throw new InvalidOperationException("There is no message to stash.");
        if (_stashed.Count > 0 && ReferenceEquals(_stashed[^1], current))
        {
            throw new InvalidOperationException($"Cannot stash the same message twice: {current.Message}");
        }
        _stashed.Add(current);
    }

    public void Unstash()
    {
        if (_stashed.Count == 0)
        {
            return;
        }
        var first = _stashed[0];
        _stashed.RemoveAt(0);
        cell.Prepend([first]);
    }

    public void UnstashAll() => cell.Prepend(Drain());

    public IReadOnlyList<object> ClearStash() => [.. Drain().Select(e => e.Message)];

    internal List<Envelope> Drain()
    {
        var all = new List<Envelope>(_stashed);
        _stashed.Clear();
        return all;
    }
}
