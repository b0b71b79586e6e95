using Serilog.Events;

namespace Agent.Actors.Kernel;

/// <summary>An <see cref="ILoggingAdapter"/> writing to a Serilog logger.</summary>
internal sealed class SerilogLoggingAdapter(Serilog.ILogger logger) : ILoggingAdapter
{
    public bool IsDebugEnabled => logger.IsEnabled(LogEventLevel.Debug);

    public void Debug(string template, params object?[] args) => logger.Debug(template, args);

    public void Info(string template, params object?[] args) => logger.Information(template, args);

    public void Warning(string template, params object?[] args) => logger.Warning(template, args);

    public void Warning(Exception cause, string template, params object?[] args) => logger.Warning(cause, template, args);

    public void Error(string template, params object?[] args) => logger.Error(template, args);

    public void Error(Exception cause, string template, params object?[] args) => logger.Error(cause, template, args);
}
