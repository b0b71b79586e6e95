using Akka.Actor;
using Akka.Event;

namespace Agent.Bench.Remote;

/// <summary>Akka's log events on stderr: stdout is the benchmark's output (the table, the JSON, <c>--serve</c>'s READY line).</summary>
internal sealed class StderrLogger : ReceiveActor
{
    /// <summary>Created by Akka from <c>akka.loggers</c>.</summary>
    public StderrLogger()
    {
        Receive<InitializeLogger>(_ => Sender.Tell(new LoggerInitialized()));
        Receive<LogEvent>(e => Console.Error.WriteLine(e.ToString()));
    }
}
