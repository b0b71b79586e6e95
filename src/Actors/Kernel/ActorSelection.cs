namespace Agent.Actors.Kernel;

/// <summary>
/// Actors selected by path (absolute <c>/user/a/b</c>, a full <c>agent://system/user/a</c>,
/// or relative to an actor with <c>..</c>). The path is resolved again on every send.
/// </summary>
public sealed class ActorSelection
{
    private readonly ActorSystem _system;
    private readonly IReadOnlyList<string>? _elements;

    private ActorSelection(ActorSystem system, IReadOnlyList<string>? elements, string text)
    {
        _system = system;
        _elements = elements;
        PathString = text;
    }

    /// <summary>The selection as written.</summary>
    public string PathString { get; }

    internal static ActorSelection Create(ActorSystem system, ActorPath? anchor, string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (path.StartsWith(Address.AgentProtocol + "://", StringComparison.Ordinal))
        {
            var parsed = ActorPath.Parse(path);
            // Another node's address selects nothing until remoting exists: sends become dead letters.
            return new ActorSelection(system, parsed.Address.Equals(system.Address) ? parsed.Elements : null, path);
        }
        List<string> elements = path.StartsWith('/') || anchor is null ? [] : [.. anchor.Elements];
        var relative = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        foreach (var element in relative)
        {
            if (element == "..")
            {
                if (elements.Count > 0)
                {
                    elements.RemoveAt(elements.Count - 1);
                }
            }
            else if (element != ".")
            {
                elements.Add(element);
            }
        }
        return new ActorSelection(system, elements, path);
    }

    /// <summary>Sends to the selected actor, or to dead letters when none lives there.</summary>
    public void Tell(object message, IActorRef? sender = null)
    {
        if (Resolve() is { } target)
        {
            target.Tell(message, sender ?? ActorCell.Current?.Self);
        }
        else
        {
            _system.DeadLetterRef.Publish(message, sender, _system.DeadLetters);
        }
    }

    /// <summary>The live actor at the path (resolved locally, at once), or throws <see cref="ActorNotFoundException"/>.</summary>
    public Task<IActorRef> ResolveOne()
    {
        return Resolve() is { } target
            ? Task.FromResult<IActorRef>(target)
            : Task.FromException<IActorRef>(new ActorNotFoundException($"No actor at {PathString}"));
    }

    private IActorRef? Resolve()
    {
        if (_elements is null)
        {
            return null;
        }
        var cell = _system.RootCell;
        foreach (var name in _elements)
        {
            var child = cell.TryGetChild(name);
            if (child is null || child.IsTerminated)
            {
                return null;
            }
            cell = child.Cell;
        }
        return cell.IsTerminated ? null : cell.Self;
    }

    /// <inheritdoc />
    public override string ToString() => $"ActorSelection[{PathString}]";
}
