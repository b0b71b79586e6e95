using Agent.Tests.Testbeds;
using Agent.TestSupport;
using Xunit;

namespace Agent.Tests.Node;

/// <summary>
/// Regression: <c>agent run --echo tcp:127.0.0.1:0 --echo tcp:127.0.0.1:0</c> (two services, each on a free port) left
/// the node half started: the reporter keyed the services by their endpoint text, so its constructor threw on the second
/// ("An item with the same key has already been added. Key: tcp:127.0.0.1:0"); no <c>listening</c> or <c>member</c> line
/// was ever printed, readiness could not be asked, and the process neither served as a node nor exited.
/// </summary>
public sealed class SameEchoEndpointTwiceTests
{
    [Fact]
    public async Task Run_SameEchoEndpointTwice_BothBoundAndTheNodeUp()
    {
        using var dir = new TempDirectory();
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--name", "twice", "--echo", "tcp:127.0.0.1:0", "--echo", "tcp:127.0.0.1:0");
        var lines = new List<string>();
        while (lines.Count < 3)
        {
            lines.Add(await node.ExpectLineAsync(line => line.StartsWith("listening tcp ", StringComparison.Ordinal)
                || line.StartsWith("member twice up at ", StringComparison.Ordinal), 30));
        }
        Assert.Equal(2, lines.Count(line => line.StartsWith("listening tcp 127.0.0.1:", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Distinct().Count(line => line.StartsWith("listening tcp ", StringComparison.Ordinal)));
        Assert.DoesNotContain("Error while creating actor", node.Stderr, StringComparison.Ordinal);
    }
}
