namespace Agent.Actors.Tests.Kernel;

public sealed class ActorPathTests
{
    [Fact]
    public void Parse_LocalPath_ReadsSystemAndElements()
    {
        var path = ActorPath.Parse("agent://sys/user/a/b");
        Assert.Equal(new Address(Address.AgentProtocol, "sys"), path.Address);
        Assert.True(path.Address.HasLocalScope);
        Assert.Equal(["user", "a", "b"], path.Elements);
        Assert.Equal("b", path.Name);
        Assert.Equal(0, path.Uid);
        Assert.Equal(3, path.Depth);
        Assert.Equal("agent://sys/user/a/b", path.ToString());
        Assert.Equal("/user/a/b", path.ToStringWithoutAddress());
    }

    [Fact]
    public void Parse_HostPortAndUid_ReadsEveryPart()
    {
        var path = ActorPath.Parse("agent://sys@10.0.0.1:2552/user/a#42");
        Assert.Equal("sys", path.Address.System);
        Assert.Equal("10.0.0.1", path.Address.Host);
        Assert.Equal(2552, path.Address.Port);
        Assert.False(path.Address.HasLocalScope);
        Assert.Equal(42, path.Uid);
        Assert.Equal("agent://sys@10.0.0.1:2552/user/a", path.ToString());
        Assert.Equal("agent://sys@10.0.0.1:2552/user/a#42", path.ToSerializationFormat());
    }

    [Fact]
    public void Parse_BracketedIpv6Host_StripsBracketsAndFormatsThemBack()
    {
        var path = ActorPath.Parse("agent://sys@[::1]:2552/user/a");
        Assert.Equal("::1", path.Address.Host);
        Assert.Equal("agent://sys@[::1]:2552/user/a", path.ToString());
    }

    [Theory]
    [InlineData("agent://sys/user/a")]
    [InlineData("agent://sys@host:1/user/a/b/c#-5")]
    [InlineData("agent://sys@[fe80::1]:65535/system/x#9223372036854775807")]
    [InlineData("agent://my-system@example.com:0/user/with.dot")]
    public void ToSerializationFormat_ParsedBack_IsTheSamePathAndUid(string text)
    {
        var path = ActorPath.Parse(text);
        var again = ActorPath.Parse(path.ToSerializationFormat());
        Assert.Equal(path, again);
        Assert.Equal(path.Uid, again.Uid);
        Assert.Equal(text, again.ToSerializationFormat());
    }

    [Theory]
    [InlineData("")]
    [InlineData("akka://sys/user/a")]
    [InlineData("agent://")]
    [InlineData("agent:///user/a")]
    [InlineData("agent://@host:1/user/a")]
    [InlineData("agent://sys@host/user/a")]
    [InlineData("agent://sys@host:70000/user/a")]
    [InlineData("agent://sys@host:-1/user/a")]
    [InlineData("agent://sys@host:port/user/a")]
    [InlineData("agent://sys@:1/user/a")]
    [InlineData("agent://sys/user/a#notanumber")]
    public void Parse_Malformed_IsRejected(string text)
    {
        Assert.False(ActorPath.TryParse(text, out _));
        Assert.Throws<FormatException>(() => ActorPath.Parse(text));
    }

    [Fact]
    public void Parse_OnlyTheAddress_IsTheRootPath()
    {
        var root = ActorPath.Parse("agent://sys");
        Assert.Equal(0, root.Depth);
        Assert.Equal("/", root.ToStringWithoutAddress());
        Assert.Equal(root, ActorPath.Parse("agent://sys/"));
        Assert.Same(root, root.Parent);
        Assert.Same(root, root.RootPath);
    }

    [Fact]
    public void Equals_SamePathDifferentUid_AreEqualWithTheSameHash()
    {
        var a = ActorPath.Parse("agent://sys/user/a#1");
        var b = ActorPath.Parse("agent://sys/user/a#2");
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }

    [Theory]
    [InlineData("agent://sys/user/a", "agent://other/user/a")]
    [InlineData("agent://sys/user/a", "agent://sys/user/b")]
    [InlineData("agent://sys/user/a", "agent://sys/user/a/b")]
    [InlineData("agent://sys@h:1/user/a", "agent://sys@h:2/user/a")]
    [InlineData("agent://sys@h:1/user/a", "agent://sys/user/a")]
    public void Equals_DifferentAddressOrElements_AreNotEqual(string left, string right)
    {
        Assert.NotEqual(ActorPath.Parse(left), ActorPath.Parse(right));
        Assert.NotEqual(0, ActorPath.Parse(left).CompareTo(ActorPath.Parse(right)));
    }

    [Fact]
    public void Child_BuiltWithOperator_EqualsTheParsedPath()
    {
        var root = ActorPath.Root(new Address(Address.AgentProtocol, "sys", "h", 7));
        var built = root / "user" / "a";
        Assert.Equal(ActorPath.Parse("agent://sys@h:7/user/a"), built);
        Assert.Equal(root / "user", built.Parent);
        Assert.Equal(5, built.Child("x", 5).Uid);
        Assert.Equal(9, built.WithUid(9).Uid);
        Assert.Equal(built, built.WithUid(9));
    }

    [Fact]
    public void Address_ToString_FormatsLocalAndRemoteForms()
    {
        Assert.Equal("agent://sys", new Address(Address.AgentProtocol, "sys").ToString());
        Assert.Equal("agent://sys@host:1", new Address(Address.AgentProtocol, "sys", "host", 1).ToString());
        Assert.Equal("agent://sys@[::1]:1", new Address(Address.AgentProtocol, "sys", "::1", 1).ToString());
    }
}
