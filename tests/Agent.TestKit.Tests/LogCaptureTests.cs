using Serilog.Events;

namespace Agent.TestKit.Tests;

public sealed class LogCaptureTests(ITestOutputHelper output) : TestKit(output)
{
    private sealed class Loud : ReceiveActor
    {
        public Loud()
        {
            Receive<string>(s => Context.GetLogger().Error(new InvalidOperationException(s), "failed with {Text}", s));
            Receive<int>(_ => throw new InvalidOperationException("crash"));
        }
    }

    [Fact]
    public void ExpectLogged_ActorLogsAnError_ReturnsTheEvent()
    {
        ActorOf(Props.Create<Loud>()).Tell("oops", TestActor);
        var logged = Logs.ExpectLogged(LogEventLevel.Error, "failed with");
        Assert.IsType<InvalidOperationException>(logged.Exception);
        Assert.True(Logs.HasLogged(LogEventLevel.Error, "oops"));
        Assert.False(Logs.HasLogged(LogEventLevel.Warning, "oops"));
    }

    [Fact]
    public void ExpectLogged_SupervisorRestartsAChild_ErrorIsCaptured()
    {
        ActorOf(Props.Create<Loud>()).Tell(1, TestActor);
        Logs.ExpectLogged(LogEventLevel.Error, "crash");
    }

    [Fact]
    public void ExpectLogged_NothingLogged_FailsAfterTheTimeout()
    {
        Assert.Throws<TestKitAssertionException>(() => Logs.ExpectLogged(LogEventLevel.Error, "never logged", TimeSpan.FromMilliseconds(100)));
    }

    [Fact]
    public async Task ExpectLoggedAsync_LoggedLater_Returns()
    {
        var waiting = Logs.ExpectLoggedAsync(LogEventLevel.Error, "later");
        ActorOf(Props.Create<Loud>()).Tell("later", TestActor);
        Assert.Equal(LogEventLevel.Error, (await waiting).Level);
    }

    [Fact]
    public void Events_DefaultSettings_CaptureDebug()
    {
        Sys.Log.Info("info line {N}", 1);
        Sys.Log.Debug("debug line {N}", 1);
        Assert.True(Logs.HasLogged(LogEventLevel.Information, "info line"));
        Assert.True(Logs.HasLogged(LogEventLevel.Debug, "debug line"));
    }

    [Fact]
    public void Events_ExplicitInformationLevel_DropDebug()
    {
        using var kit = new LevelKit(LogEventLevel.Information);
        kit.Log("debug line", LogEventLevel.Debug);
        kit.Log("info line", LogEventLevel.Information);
        Assert.False(kit.Captured.HasLogged(LogEventLevel.Debug, "debug line"));
        Assert.True(kit.Captured.HasLogged(LogEventLevel.Information, "info line"));
    }

    [Fact]
    public void Events_DebugLevelInSettings_AreCaptured()
    {
        using var kit = new LevelKit(LogEventLevel.Debug);
        kit.Log("debug line", LogEventLevel.Debug);
        Assert.True(kit.Captured.HasLogged(LogEventLevel.Debug, "debug line"));
    }

    private sealed class LevelKit(LogEventLevel level) : TestKit(null, new ActorSystemSettings { LogLevel = level })
    {
        public LogCapture Captured => Logs;

        public void Log(string text, LogEventLevel at)
        {
            if (at == LogEventLevel.Debug)
            {
                Sys.Log.Debug("{Text}", text);
            }
            else
            {
                Sys.Log.Info("{Text}", text);
            }
        }
    }
}
