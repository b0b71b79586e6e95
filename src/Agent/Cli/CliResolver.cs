using System.CommandLine;
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

    /// <summary>
    /// Prints the reply: the result as Python prints it (or JSON), or the failure; with <c>--on</c>, each chosen node's
    /// (<paramref name="remote"/>).
    /// </summary>
    public static async Task<int> RunAsync(ResolutionRequest request, bool json, TimeSpan timeout, RemoteOptions remote, ParseResult parse,
        CancellationToken cancellationToken)
    {
        if (!remote.Requested(parse))
        {
            return Render(request, await AskAsync(request, timeout)).Print(json);
        }
        if (NativeLookups.ArgumentProblem(request) is { } problem)
        {
            throw new UsageException(problem);
        }
        return await remote.RunAsync(parse, "lookup", Node.RemoteRequests.Body(request), json, cancellationToken, timeout.TotalSeconds);
    }

    /// <summary>
    /// What a resolver's reply prints: getaddrinfo in the PyMOTW layout, every other result as Python's repr, a failure
    /// in Python's words.
    /// </summary>
    public static CommandOutput Render(ResolutionRequest request, object reply) => reply switch
    {
        Resolved r => CommandOutput.Success(PythonJson.ToJson(r.Result), request is GetAddrInfo ? ResolveCommand.Text(r.Result) : PythonRepr.Print(r.Result)),
        ResolutionFailed f => CommandOutput.Failure(f.Error),
        var other => throw new InvalidOperationException($"unexpected resolver reply {other}"),
    };
}
