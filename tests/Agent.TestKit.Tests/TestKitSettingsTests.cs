using System.Diagnostics;
using System.Globalization;

namespace Agent.TestKit.Tests;

public sealed class TestKitSettingsTests
{
    private static double ExpectedFactor()
    {
        var text = Environment.GetEnvironmentVariable(TestKitSettings.TimeFactorVariable);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var f) && f > 0 ? f : 1.0;
    }

    [Fact]
    public void TimeFactor_FromEnvironment_MatchesTheVariableOrOne()
    {
        Assert.Equal(ExpectedFactor(), TestKitSettings.TimeFactor);
    }

    [Fact]
    public void Dilated_AnyDuration_IsMultipliedByTheFactor()
    {
        Assert.Equal(TimeSpan.FromTicks((long)(TimeSpan.FromSeconds(2).Ticks * ExpectedFactor())), TestKitSettings.Dilated(TimeSpan.FromSeconds(2)));
        Assert.Equal(Timeout.InfiniteTimeSpan, TestKitSettings.Dilated(Timeout.InfiniteTimeSpan));
        Assert.Equal(TimeSpan.FromSeconds(3), TestKitSettings.DefaultSingleExpect);
    }

    [Fact]
    public void ExpectMsg_DefaultTimeout_IsDilatedThreeSeconds()
    {
        using var kit = new Kit();
        var watch = Stopwatch.StartNew();
        Assert.Throws<TestKitAssertionException>(() => kit.ExpectAnything());
        Assert.True(watch.Elapsed >= TestKitSettings.Dilated(TimeSpan.FromSeconds(3)) - TimeSpan.FromMilliseconds(20), $"failed after {watch.Elapsed}");
    }

    [Fact]
    public void Dispose_TestKit_TerminatesItsSystem()
    {
        var kit = new Kit();
        var system = kit.System;
        Assert.False(system.WhenTerminated.IsCompleted);
        kit.Dispose();
        Assert.True(system.WhenTerminated.IsCompleted);
    }

    [Fact]
    public void Constructor_TwoKits_GetDistinctSystems()
    {
        using var a = new Kit();
        using var b = new Kit();
        Assert.NotEqual(a.System.Name, b.System.Name);
    }

    private sealed class Kit : TestKit
    {
        public Kit()
            : base(null)
        {
        }

        public ActorSystem System => Sys;

        public void ExpectAnything() => ExpectMsg<object>();
    }
}
