namespace Agent.TestKit.Tests;

public sealed class AwaitTests(ITestOutputHelper output) : TestKit(output)
{
    [Fact]
    public void AwaitAssert_PassesAfterSomeTries_Returns()
    {
        var tries = 0;
        AwaitAssert(() => Assert.True(++tries >= 3), interval: TimeSpan.FromMilliseconds(1));
        Assert.Equal(3, tries);
    }

    [Fact]
    public void AwaitAssert_NeverPasses_RethrowsTheLastFailure()
    {
        var tries = 0;
        var error = Assert.ThrowsAny<Exception>(() => AwaitAssert(() => Assert.Fail($"try {++tries}"), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(10)));
        Assert.True(tries > 1);
        Assert.Contains($"try {tries}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AwaitAssertAsync_PassesEventually_Returns()
    {
        var signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _ = Task.Run(signal.SetResult);
        await AwaitAssertAsync(() =>
        {
            Assert.True(signal.Task.IsCompleted);
            return Task.CompletedTask;
        });
    }

    [Fact]
    public void AwaitCondition_BecomesTrue_Returns()
    {
        var calls = 0;
        AwaitCondition(() => ++calls == 2, interval: TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, calls);
    }

    [Fact]
    public void AwaitCondition_NeverTrue_FailsWithTheMessage()
    {
        var error = Assert.Throws<TestKitAssertionException>(() => AwaitCondition(() => false, TimeSpan.FromMilliseconds(100), message: "never"));
        Assert.Equal("never", error.Message);
    }
}
