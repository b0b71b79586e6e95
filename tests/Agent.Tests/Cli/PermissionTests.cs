using Agent.TestSupport;
using Agent.Tests.Testbeds;
using Xunit;

namespace Agent.Tests.Cli;

public sealed class PermissionTests
{
    [TestBedFact("root", "runuser")]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Echo_AsAnotherUser_ToOwnerOnlyUnixNode_IsPermissionDeniedErrno13()
    {
        using var dir = new TempDirectory();
        File.SetUnixFileMode(dir.Path, (UnixFileMode)0x1ED); // 0755: others may enter, the node's 0600 decides
        await using var node = AgentProcess.StartAgent(dir.Path, "run", "--echo", "unix:./uds_socket");
        await node.ExpectLineAsync(l => l == "listening unix ./uds_socket");
        Assert.Equal((UnixFileMode)0x180, File.GetUnixFileMode(Path.Combine(dir.Path, "uds_socket")));
        var (code, stdout, _) = await AgentProcess.RunAsync(TestBed.Tool("runuser"), dir.Path,
            ["-u", "nobody", "--", AgentProcess.DotnetHost, AgentProcess.AgentDll, "echo", "unix:./uds_socket", "--json"]);
        Assert.Equal(1, code);
        Assert.Equal("{\"endpoint\":\"unix:./uds_socket\",\"error\":\"PermissionError\",\"errno\":13,\"strerror\":\"Permission denied\"}", stdout.Trim());
        node.Terminate();
        Assert.Equal(0, await node.WaitForExitAsync());
    }
}
