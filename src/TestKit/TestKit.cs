using Agent.Actors.Kernel;
using Serilog;
using Serilog.Events;
using Xunit.Abstractions;

namespace Agent.TestKit;

/// <summary>
/// Base class for xunit tests of actors (Akka.TestKit.Xunit2's shape): each test gets a
/// fresh <see cref="Sys"/> that is terminated when the test is disposed, a
/// <see cref="TestActor"/> that is the implicit sender of the test's own tells, probes,
/// and captured log events. Default timeouts are 3 s times <c>AGENT_TEST_TIME_FACTOR</c>.
/// </summary>
public abstract class TestKit : IDisposable
{
    private static int s_systems;
    private readonly TestProbe _testActor;
    private bool _disposed;

    /// <summary>Creates the test's actor system; <paramref name="output"/> receives its log.</summary>
    protected TestKit(ITestOutputHelper? output = null, ActorSystemSettings? settings = null)
    {
        Logs = new LogCapture(output);
        var logger = new LoggerConfiguration().MinimumLevel.Verbose().WriteTo.Sink(Logs).CreateLogger();
        var baseSettings = settings ?? ActorSystemSettings.Default;
        Sys = ActorSystem.Create($"test-{Interlocked.Increment(ref s_systems)}", baseSettings with
        {
            Logger = logger,
            LogLevel = baseSettings.LogLevel ?? LogEventLevel.Debug,
        });
        _testActor = new TestProbe(Sys, "testActor");
    }

    /// <summary>The test's actor system.</summary>
    protected ActorSystem Sys { get; }

    /// <summary>Every log event of <see cref="Sys"/>.</summary>
    protected LogCapture Logs { get; }

    /// <summary>The default probe's ref; messages sent to it are what the Expect methods read.</summary>
    protected IActorRef TestActor => _testActor.Ref;

    /// <summary>The sender of the message expected last.</summary>
    protected IActorRef LastSender => _testActor.LastSender;

    /// <summary>A new probe in <see cref="Sys"/>.</summary>
    protected TestProbe CreateTestProbe(string? name = null) => new(Sys, name);

    /// <summary>Scales a duration by the time factor.</summary>
    protected static TimeSpan Dilated(TimeSpan duration) => TestKitSettings.Dilated(duration);

    /// <summary>Creates a top-level actor in <see cref="Sys"/>.</summary>
    protected IActorRef ActorOf(Props props, string? name = null) => Sys.ActorOf(props, name);

    /// <summary>Tells with <see cref="TestActor"/> as sender.</summary>
    protected void Send(IActorRef target, object message) => target.Tell(message, TestActor);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(Predicate{T}?, TimeSpan?)"/>
    protected T ExpectMsg<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) => _testActor.ExpectMsg(predicate, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsg{T}(T, TimeSpan?)"/>
    protected T ExpectMsg<T>(T expected, TimeSpan? timeout = null) where T : notnull => _testActor.ExpectMsg(expected, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsgAsync{T}(Predicate{T}?, TimeSpan?)"/>
    protected Task<T> ExpectMsgAsync<T>(Predicate<T>? predicate = null, TimeSpan? timeout = null) => _testActor.ExpectMsgAsync(predicate, timeout);

    /// <inheritdoc cref="TestProbe.ExpectMsgAsync{T}(T, TimeSpan?)"/>
    protected Task<T> ExpectMsgAsync<T>(T expected, TimeSpan? timeout = null) where T : notnull => _testActor.ExpectMsgAsync(expected, timeout);

    /// <inheritdoc cref="TestProbe.ExpectNoMsg"/>
    protected void ExpectNoMsg(TimeSpan duration) => _testActor.ExpectNoMsg(duration);

    /// <inheritdoc cref="TestProbe.ExpectNoMsgAsync"/>
    protected Task ExpectNoMsgAsync(TimeSpan duration) => _testActor.ExpectNoMsgAsync(duration);

    /// <summary>Watches <paramref name="target"/> with <see cref="TestActor"/>.</summary>
    protected IActorRef Watch(IActorRef target) => _testActor.Watch(target);

    /// <summary>Stops watching <paramref name="target"/>.</summary>
    protected IActorRef Unwatch(IActorRef target) => _testActor.Unwatch(target);

    /// <inheritdoc cref="TestProbe.ExpectTerminated"/>
    protected Terminated ExpectTerminated(IActorRef target, TimeSpan? timeout = null) => _testActor.ExpectTerminated(target, timeout);

    /// <inheritdoc cref="TestProbe.ExpectTerminatedAsync"/>
    protected Task<Terminated> ExpectTerminatedAsync(IActorRef target, TimeSpan? timeout = null) => _testActor.ExpectTerminatedAsync(target, timeout);

    /// <inheritdoc cref="TestProbe.ReceiveN"/>
    protected IReadOnlyList<object> ReceiveN(int count, TimeSpan? timeout = null) => _testActor.ReceiveN(count, timeout);

    /// <inheritdoc cref="TestProbe.ReceiveNAsync"/>
    protected Task<IReadOnlyList<object>> ReceiveNAsync(int count, TimeSpan? timeout = null) => _testActor.ReceiveNAsync(count, timeout);

    /// <inheritdoc cref="TestProbe.FishForMessage"/>
    protected object FishForMessage(Predicate<object> isTheOne, TimeSpan? timeout = null) => _testActor.FishForMessage(isTheOne, timeout);

    /// <inheritdoc cref="TestProbe.Within"/>
    protected void Within(TimeSpan min, TimeSpan max, Action action) => _testActor.Within(min, max, action);

    /// <inheritdoc cref="TestProbe.WithinAsync"/>
    protected Task WithinAsync(TimeSpan min, TimeSpan max, Func<Task> action) => _testActor.WithinAsync(min, max, action);

    /// <summary>
    /// Retries <paramref name="assertion"/> every <paramref name="interval"/> (default 50 ms)
    /// until it stops throwing, or rethrows its last failure after <paramref name="duration"/> (dilated, default 3 s).
    /// </summary>
    protected static void AwaitAssert(Action assertion, TimeSpan? duration = null, TimeSpan? interval = null) =>
        AwaitAssertAsync(() =>
        {
            assertion();
            return Task.CompletedTask;
        }, duration, interval).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="AwaitAssert"/>.</summary>
    protected static async Task AwaitAssertAsync(Func<Task> assertion, TimeSpan? duration = null, TimeSpan? interval = null)
    {
        var deadline = DateTimeOffset.UtcNow + TestKitSettings.Dilated(duration ?? TestKitSettings.DefaultSingleExpect);
        var pause = interval ?? TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await assertion().ConfigureAwait(false);
                return;
            }
            catch (Exception) when (DateTimeOffset.UtcNow < deadline)
            {
                await Task.Delay(pause).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds, checking every <paramref name="interval"/> (default 50 ms), within <paramref name="max"/> (dilated, default 3 s).</summary>
    protected static void AwaitCondition(Func<bool> condition, TimeSpan? max = null, TimeSpan? interval = null, string? message = null) =>
        AwaitAssert(() =>
        {
            if (!condition())
            {
                throw new TestKitAssertionException(message ?? "The awaited condition was not met in time");
            }
        }, max, interval);

    /// <summary>Terminates <see cref="Sys"/> and fails if it does not stop within 10 s (dilated).</summary>
    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Terminates the system; override to release more.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (_disposed || !disposing)
        {
            return;
        }
        _disposed = true;
        var max = Dilated(TimeSpan.FromSeconds(10));
        if (!Sys.Terminate().Wait(max))
        {
            throw new TestKitAssertionException($"The actor system {Sys.Name} did not terminate within {max}");
        }
    }
}
