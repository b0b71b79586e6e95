using Serilog;
using Serilog.Core;
using Serilog.Events;

namespace Agent.Actors.Kernel;

/// <summary>Makes loggers for a system: the configured Serilog logger, enriched per source.</summary>
public sealed class Logging
{
    private readonly ILogger _root;

    internal Logging(ActorSystemSettings settings, string systemName)
    {
        var baseLogger = settings.Logger ?? Log.Logger;
        var levelled = settings.LogLevel is { } level
            ? new LoggerConfiguration().MinimumLevel.Is(level).WriteTo.Logger(baseLogger).CreateLogger()
            : baseLogger;
        _root = levelled.ForContext("ActorSystem", systemName);
    }

    /// <summary>The system-wide logger (no actor path).</summary>
    internal ILoggingAdapter System => new SerilogLoggingAdapter(_root);

    /// <summary>A logger for an actor or another source at <paramref name="path"/>.</summary>
    public ILoggingAdapter For(ActorPath path, Type source) =>
        new SerilogLoggingAdapter(_root.ForContext(new Enricher(path, source)));

    private sealed class Enricher(ActorPath path, Type source) : ILogEventEnricher
    {
        public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
        {
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty("ActorPath", path.ToString()));
            logEvent.AddPropertyIfAbsent(propertyFactory.CreateProperty(Constants.SourceContextPropertyName, source.FullName));
        }
    }
}
