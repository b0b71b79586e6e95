namespace Agent.Actors.Kernel;

/// <summary>Children: creation with unique names, lookup, stop.</summary>
internal sealed partial class ActorCell
{
    private ChildrenContainer? _children;
    private long _nameSequence;

    private sealed class ChildrenContainer
    {
        public readonly Dictionary<string, LocalActorRef> ByName = new(StringComparer.Ordinal);
        public readonly Lock Gate = new();
    }

    private ChildrenContainer Container
    {
        get
        {
            if (_children is null)
            {
                Interlocked.CompareExchange(ref _children, new ChildrenContainer(), null);
            }
            return _children!;
        }
    }

    public IEnumerable<IActorRef> Children => ChildrenSnapshot();

    internal LocalActorRef[] ChildrenSnapshot()
    {
        var container = _children;
        if (container is null)
        {
            return [];
        }
        lock (container.Gate)
        {
            return [.. container.ByName.Values];
        }
    }

    private bool HasChildren
    {
        get
        {
            var container = _children;
            if (container is null)
            {
                return false;
            }
            lock (container.Gate)
            {
                return container.ByName.Count > 0;
            }
        }
    }

    public IActorRef Child(string name) => TryGetChild(name) ?? ActorRefs.Nobody;

    internal LocalActorRef? TryGetChild(string name)
    {
        var container = _children;
        if (container is null)
        {
            return null;
        }
        lock (container.Gate)
        {
            return container.ByName.GetValueOrDefault(name);
        }
    }

    private bool IsChild(IActorRef actor) =>
        actor is LocalActorRef local && TryGetChild(local.Path.Name) is { } child && ReferenceEquals(child, local);

    public IActorRef ActorOf(Props props, string? name = null) => AttachChild(props, name, isSystemName: false);

    /// <summary>Creates and starts a child; system names (starting with '$') are allowed only for the kernel.</summary>
    internal LocalActorRef AttachChild(Props props, string? name, bool isSystemName)
    {
        ArgumentNullException.ThrowIfNull(props);
        if (name is null)
        {
            name = NextName();
        }
        else if (!isSystemName)
        {
            ActorNames.Validate(name);
        }
        var path = _self.Path.Child(name, NewUid());
        var cell = new ActorCell(_system, props, path, _self);
        var container = Container;
        lock (container.Gate)
        {
            if (_state >= LifecycleState.Terminating)
            {
                throw new InvalidOperationException($"Cannot create child [{name}]: {_self.Path} is stopping.");
            }
            if (!container.ByName.TryAdd(name, cell.SelfRef))
            {
                throw new InvalidActorNameException($"Actor name [{name}] is not unique under {_self.Path}.");
            }
        }
        cell.SendSystemMessage(Create.Instance);
        return cell.SelfRef;
    }

    private string NextName()
    {
        var n = Interlocked.Increment(ref _nameSequence);
        Span<char> buffer = stackalloc char[16];
        var i = buffer.Length;
        do
        {
            buffer[--i] = ActorNames.Base64[(int)(n & 63)];
            n >>= 6;
        }
        while (n != 0);
        buffer[--i] = '$';
        return new string(buffer[i..]);
    }

    private static long NewUid()
    {
        long uid;
        do
        {
            uid = Random.Shared.NextInt64();
        }
        while (uid == 0);
        return uid;
    }

    private void RemoveChild(LocalActorRef child)
    {
        var container = _children;
        if (container is null)
        {
            return;
        }
        lock (container.Gate)
        {
            if (container.ByName.TryGetValue(child.Path.Name, out var existing) && ReferenceEquals(existing, child))
            {
                container.ByName.Remove(child.Path.Name);
            }
        }
    }

    /// <summary>Stops a child, or this actor itself; other refs are sent a stop as well.</summary>
    public void Stop(IActorRef actor)
    {
        if (actor is LocalActorRef local && !ReferenceEquals(local, _self) && IsChild(local))
        {
            local.Cell.StoppingByParent = true;
        }
        if (actor is IInternalActorRef internalRef)
        {
            internalRef.SendSystemMessage(Terminate.Instance);
        }
    }

    /// <summary>Set by the parent when it asked this actor to stop; read and written by the parent only.</summary>
    internal bool StoppingByParent { get; set; }

    /// <summary>Restart statistics kept for the parent's supervisor strategy; parent only.</summary>
    internal ChildRestartStats RestartStats => _restartStats ??= new ChildRestartStats();

    private ChildRestartStats? _restartStats;

    private bool AnyChildStopping() => ChildrenSnapshot().Any(c => c.Cell.StoppingByParent);
}
