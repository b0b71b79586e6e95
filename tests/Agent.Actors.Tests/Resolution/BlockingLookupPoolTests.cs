using Agent.Actors.Resolution;
using Agent.Messages.Resolution;

namespace Agent.Actors.Tests.Resolution;

public sealed class BlockingLookupPoolTests
{
    private static readonly TimeSpan Wait = TestTime.Seconds(10);

    [Fact]
    public void NeverAsked_HoldsNoThread()
    {
        using var pool = new BlockingLookupPool(4, _ => new HostAddress("127.0.0.1"));
        Assert.Equal(0, pool.Threads);
    }

    [Fact]
    public async Task BlockedLookups_EachStartAThreadUpToTheConcurrency_TheRestWaitForOne()
    {
        using var release = new ManualResetEventSlim();
        using var started = new SemaphoreSlim(0);
        using var pool = new BlockingLookupPool(3, _ =>
        {
            started.Release();
            release.Wait();
            return new HostAddress("127.0.0.1");
        });

        var first = pool.Run(new GetHostName());
        Assert.True(await started.WaitAsync(Wait));
        Assert.Equal(1, pool.Threads);

        var blocked = Enumerable.Range(0, 4).Select(_ => pool.Run(new GetHostName())).ToList();
        Assert.True(await started.WaitAsync(Wait));
        Assert.True(await started.WaitAsync(Wait));
        Assert.Equal(3, pool.Threads);
        Assert.False(blocked.Any(t => t.IsCompleted) || first.IsCompleted);

        release.Set();
        var all = await Task.WhenAll(blocked.Append(first)).WaitAsync(Wait);
        Assert.All(all, r => Assert.Equal(new HostAddress("127.0.0.1"), r));
        Assert.Equal(3, pool.Threads);
    }

    [Fact]
    public async Task SequentialLookups_ReuseTheIdleThread()
    {
        using var pool = new BlockingLookupPool(8, _ => new HostAddress("::1"));
        for (var i = 0; i < 100; i++)
        {
            await pool.Run(new GetHostName()).WaitAsync(Wait);
        }
        Assert.Equal(1, pool.Threads);
    }
}
