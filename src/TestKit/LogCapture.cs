using System.Collections.Concurrent;
using Serilog.Core;
using Serilog.Events;
using Xunit.Abstractions;

namespace Agent.TestKit;

/// <summary>
/// A Serilog sink that keeps every event of a test's system, so a test can assert that
/// something was (or was not) logged; optionally echoes events to the xunit output.
/// </summary>
public sealed class LogCapture(ITestOutputHelper? output) : ILogEventSink
{
    private readonly ConcurrentQueue<LogEvent> _events = new();
    private readonly SemaphoreSlim _arrived = new(0);

    /// <summary>Every event so far, oldest first.</summary>
    public IReadOnlyList<LogEvent> Events => [.. _events];

    /// <inheritdoc />
    public void Emit(LogEvent logEvent)
    {
        _events.Enqueue(logEvent);
        _arrived.Release();
        if (output is not null)
        {
            try
            {
                output.WriteLine($"[{logEvent.Level}] {logEvent.RenderMessage()}{(logEvent.Exception is null ? "" : " " + logEvent.Exception.GetType().Name + ": " + logEvent.Exception.Message)}");
            }
            catch (InvalidOperationException)
            {
                // xunit refuses output after the test has finished; late events from shutdown are expected.
            }
        }
    }

    /// <summary>True when an event at <paramref name="level"/> whose rendered text contains <paramref name="contains"/> was logged.</summary>
    public bool HasLogged(LogEventLevel level, string contains) =>
        _events.Any(e => e.Level == level && e.RenderMessage().Contains(contains, StringComparison.Ordinal));

    /// <summary>Waits (dilated timeout, default 3 s) until such an event is logged; returns it.</summary>
    public LogEvent ExpectLogged(LogEventLevel level, string contains, TimeSpan? timeout = null) =>
        ExpectLoggedAsync(level, contains, timeout).GetAwaiter().GetResult();

    /// <summary>Async form of <see cref="ExpectLogged"/>.</summary>
    public async Task<LogEvent> ExpectLoggedAsync(LogEventLevel level, string contains, TimeSpan? timeout = null)
    {
        var max = TestKitSettings.Dilated(timeout ?? TestKitSettings.DefaultSingleExpect);
        var deadline = DateTimeOffset.UtcNow + max;
        while (true)
        {
            var match = _events.FirstOrDefault(e => e.Level == level && e.RenderMessage().Contains(contains, StringComparison.Ordinal));
            if (match is not null)
            {
                return match;
            }
            var left = deadline - DateTimeOffset.UtcNow;
            if (left <= TimeSpan.Zero || !await _arrived.WaitAsync(left).ConfigureAwait(false))
            {
                throw new TestKitAssertionException($"No {level} event containing '{contains}' was logged within {max}");
            }
        }
    }
}
