using System.Text;

namespace Agent.Actors.Kernel;

/// <summary>
/// The address part of an actor path: <c>agent://system</c> for a local system, or
/// <c>agent://system@host:port</c> once the system is reachable from other nodes.
/// </summary>
public sealed record Address(string Protocol, string System, string? Host = null, int? Port = null)
{
    /// <summary>The protocol of every Agent address.</summary>
    public const string AgentProtocol = "agent";

    /// <summary>True when the address names no host, i.e. only this process can reach it.</summary>
    public bool HasLocalScope => Host is null;

    /// <inheritdoc />
    public override string ToString() =>
        Host is null ? $"{Protocol}://{System}" : $"{Protocol}://{System}@{FormatHost(Host)}:{Port}";

    private static string FormatHost(string host) => host.Contains(':') ? $"[{host}]" : host;
}

/// <summary>
/// The path of an actor: an <see cref="Address"/> and the names from the root guardian
/// down. Two paths are equal when address and names are equal; the uid (the incarnation)
/// is carried along but not compared, as in Akka.NET.
/// </summary>
public sealed class ActorPath : IEquatable<ActorPath>, IComparable<ActorPath>
{
    private readonly ActorPath? _parent;
    private int _hash;

    private ActorPath(Address address, ActorPath? parent, string name, long uid)
    {
        Address = address;
        _parent = parent;
        Name = name;
        Uid = uid;
    }

    /// <summary>The root path (<c>agent://system/</c>) of an address.</summary>
    public static ActorPath Root(Address address) => new(address, null, "", 0);

    /// <summary>The address part.</summary>
    public Address Address { get; }

    /// <summary>The last element (empty for the root).</summary>
    public string Name { get; }

    /// <summary>The incarnation of the actor at this path; 0 when unknown.</summary>
    public long Uid { get; }

    /// <summary>The parent path; the root is its own parent.</summary>
    public ActorPath Parent => _parent ?? this;

    /// <summary>The root path of this path's address.</summary>
    public ActorPath RootPath
    {
        get
        {
            var p = this;
            while (p._parent is not null)
            {
                p = p._parent;
            }
            return p;
        }
    }

    /// <summary>Number of elements below the root.</summary>
    public int Depth
    {
        get
        {
            var depth = 0;
            for (var p = this; p._parent is not null; p = p._parent)
            {
                depth++;
            }
            return depth;
        }
    }

    /// <summary>The names from the root down (the root itself excluded).</summary>
    public IReadOnlyList<string> Elements
    {
        get
        {
            var elements = new string[Depth];
            var i = elements.Length;
            for (var p = this; p._parent is not null; p = p._parent)
            {
                elements[--i] = p.Name;
            }
            return elements;
        }
    }

    /// <summary>The child path with the given name.</summary>
    public ActorPath Child(string name, long uid = 0) => new(Address, this, name, uid);

    /// <summary>The same path with another uid.</summary>
    public ActorPath WithUid(long uid) => uid == Uid ? this : new ActorPath(Address, _parent, Name, uid);

    /// <summary>Child path operator, as in <c>root / "user" / "a"</c>.</summary>
    public static ActorPath operator /(ActorPath path, string name) => path.Child(name);

    /// <summary>The path without its address: <c>/user/a/b</c>.</summary>
    public string ToStringWithoutAddress()
    {
        if (_parent is null)
        {
            return "/";
        }
        var sb = new StringBuilder();
        foreach (var element in Elements)
        {
            sb.Append('/').Append(element);
        }
        return sb.ToString();
    }

    /// <summary>The full path, <c>agent://system/user/a</c>, or with the uid as <c>#uid</c> suffix.</summary>
    public string ToSerializationFormat() => Uid == 0 ? ToString() : $"{this}#{Uid}";

    /// <inheritdoc />
    public override string ToString() => Address + ToStringWithoutAddress();

    /// <summary>
    /// Parses <c>agent://system/user/a</c>, <c>agent://system@host:port/user/a#uid</c>.
    /// </summary>
    public static bool TryParse(string text, out ActorPath path)
    {
        path = null!;
        const string Prefix = Address.AgentProtocol + "://";
        if (!text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }
        var rest = text.AsSpan(Prefix.Length);
        var slash = rest.IndexOf('/');
        var authority = slash < 0 ? rest : rest[..slash];
        var elements = slash < 0 ? ReadOnlySpan<char>.Empty : rest[(slash + 1)..];
        if (!TryParseAuthority(authority, out var address))
        {
            return false;
        }
        long uid = 0;
        var hash = elements.IndexOf('#');
        if (hash >= 0)
        {
            if (!long.TryParse(elements[(hash + 1)..], out uid))
            {
                return false;
            }
            elements = elements[..hash];
        }
        var result = Root(address);
        foreach (var range in elements.Split('/'))
        {
            var name = elements[range];
            if (name.IsEmpty)
            {
                continue;
            }
            result = result.Child(name.ToString());
        }
        path = result.WithUid(uid);
        return true;
    }

    /// <summary>Parses a path or throws <see cref="FormatException"/>.</summary>
    public static ActorPath Parse(string text) =>
        TryParse(text, out var path) ? path : throw new FormatException($"'{text}' is not an actor path (expected agent://system/user/...).");

    private static bool TryParseAuthority(ReadOnlySpan<char> authority, out Address address)
    {
        address = null!;
        var at = authority.IndexOf('@');
        if (at < 0)
        {
            if (authority.IsEmpty)
            {
                return false;
            }
            address = new Address(Address.AgentProtocol, authority.ToString());
            return true;
        }
        var system = authority[..at];
        var hostPort = authority[(at + 1)..];
        var colon = hostPort.LastIndexOf(':');
        if (system.IsEmpty || colon <= 0 || !int.TryParse(hostPort[(colon + 1)..], out var port) || port is < 0 or > 65535)
        {
            return false;
        }
        var host = hostPort[..colon];
        if (host.Length > 1 && host[0] == '[' && host[^1] == ']')
        {
            host = host[1..^1];
        }
        address = new Address(Address.AgentProtocol, system.ToString(), host.ToString(), port);
        return true;
    }

    /// <inheritdoc />
    public bool Equals(ActorPath? other)
    {
        if (ReferenceEquals(this, other))
        {
            return true;
        }
        if (other is null)
        {
            return false;
        }
        ActorPath? a = this, b = other;
        while (a is not null && b is not null)
        {
            if (ReferenceEquals(a, b))
            {
                return true;
            }
            if (!string.Equals(a.Name, b.Name, StringComparison.Ordinal))
            {
                return false;
            }
            if (a._parent is null || b._parent is null)
            {
                return a._parent is null && b._parent is null && a.Address.Equals(b.Address);
            }
            a = a._parent;
            b = b._parent;
        }
        return false;
    }

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ActorPath other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        if (_hash == 0)
        {
            var h = _parent is null ? Address.GetHashCode() : HashCode.Combine(_parent.GetHashCode(), StringComparer.Ordinal.GetHashCode(Name));
            _hash = h == 0 ? 1 : h;
        }
        return _hash;
    }

    /// <inheritdoc />
    public int CompareTo(ActorPath? other) =>
        other is null ? 1 : string.CompareOrdinal(ToString(), other.ToString());
}
