using Agent.Actors.Resolution;
using Agent.Messages.Resolution;
using Agent.Output;
using Akka.Actor;

namespace Agent.Cli;

/// <summary>Runs one lookup through a <see cref="ResolverActor"/> in a short-lived actor system.</summary>
internal static class CliResolver
{
    /// <summary>Defaults to 10 s, the resolver's own default.</summary>
    public static readonly TimeSpan DefaultTimeout = ResolverSettings.Default.Timeout;

    public static async Task<object> AskAsync(ResolutionRequest request, TimeSpan timeout)
    {
        if (NativeLookups.ArgumentProblem(request) is { } problem)
        {
            throw new UsageException(problem);
        }
        return await CliSystem.RunAsync("agent", system =>
        {
            var resolver = system.ActorOf(ResolverActor.Props(new ResolverSettings { Concurrency = 1, Timeout = timeout }), "resolver");
            // The resolver always answers (at the latest with its own timeout); the margin only guards a dead system.
            return resolver.Ask<object>(request, timeout + TimeSpan.FromSeconds(5));
        });
    }

    /// <summary>Prints the reply: the result as Python prints it (or JSON), or the failure.</summary>
    public static async Task<int> RunAsync(ResolutionRequest request, bool json, TimeSpan timeout, Func<ResolutionResult, string>? text = null)
    {
        return await AskAsync(request, timeout) switch
        {
            Resolved r => CliOutput.Success(json, PythonJson.ToJson(r.Result), (text ?? PythonRepr.Print)(r.Result)),
            ResolutionFailed f => CliOutput.Failure(json, f.Error),
            var other => throw new InvalidOperationException($"unexpected resolver reply {other}"),
        };
    }
}
