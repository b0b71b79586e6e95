using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Xunit;

namespace Agent.Actors.Tests.Resolution;

/// <summary>What Agent refuses before calling libc, where Python would silently do something else.</summary>
public sealed class ArgumentProblemTests
{
    [Theory]
    [InlineData("65536")]
    [InlineData("70000")]
    [InlineData("99999999999999999999999")]
    public void GetAddrInfo_NumericPortAbove65535_Refused(string port) =>
        Assert.Contains(port, NativeLookups.ArgumentProblem(new GetAddrInfo("localhost", port)), StringComparison.Ordinal);

    [Theory]
    [InlineData("65535")]
    [InlineData("065535")]
    [InlineData("0")]
    [InlineData("http")]
    [InlineData(null)]
    public void GetAddrInfo_PortInRangeOrServiceName_Accepted(string? port) =>
        Assert.Null(NativeLookups.ArgumentProblem(new GetAddrInfo("localhost", port)));

    [Fact]
    public void HostNames_NulOrOverlong_Refused()
    {
        Assert.NotNull(NativeLookups.ArgumentProblem(new GetHostByNameEx("a\0b")));
        Assert.NotNull(NativeLookups.ArgumentProblem(new GetAddrInfo(new string('a', 254), null)));
        Assert.Null(NativeLookups.ArgumentProblem(new GetAddrInfo(new string('a', 253), null)));
    }

    [Fact]
    public void HostNames_NonAscii_AcceptedForTheLookupToEncode()
    {
        Assert.Null(NativeLookups.ArgumentProblem(new GetHostByName("bücher.example")));
        Assert.Null(NativeLookups.ArgumentProblem(new GetAddrInfo("ß.example", "80")));
        Assert.Null(NativeLookups.ArgumentProblem(new GetNameInfo("bücher.example", 80, 0)));
    }
}
