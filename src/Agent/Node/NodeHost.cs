using System.Net;
using System.Runtime.InteropServices;
using Agent.Actors.Io;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Serilog;
using Serilog.Events;

namespace Agent.Node;

/// <summary>
/// <c>agent run</c>: a .NET Generic Host with the node's HTTP API on Kestrel (<see cref="NodeApi"/>) and an actor
/// system (<see cref="NodeSystem"/>) that is an Akka.Cluster member over Akka.Remote: it joins through its seeds, or seeds
/// itself (a one-node cluster), and holds the member directory, the IO manager and one backoff-supervised echo service per
/// configured endpoint. SIGTERM, SIGINT and SIGHUP stop the host, which runs Akka's <see cref="Akka.Actor.CoordinatedShutdown"/>:
/// the node leaves the cluster (the others see it Removed), the echo services stop (their listeners unbind), then the
/// IO manager with every socket and Unix node; the process exits 0 within <c>node:shutdownTimeout</c>. A service that
/// cannot bind for a reason waiting cannot heal, or a name another member holds, stops the node with exit status 1.
/// </summary>
internal static class NodeHost
{
    /// <summary>Runs the node until it is stopped; returns the exit status.</summary>
    public static async Task<int> RunAsync(NodeOptions options, TextWriter stdout, TextWriter stderr, CancellationToken cancellationToken)
    {
        var endpoints = options.EchoEndpoints;
        foreach (var endpoint in endpoints)
        {
            if (UnixPathCheck.Check(endpoint) is { } problem)
            {
                await stderr.WriteLineAsync($"agent: {problem.Message}");
                return problem.ExitCode;
            }
        }
        var level = LogLevels.Parse(options.Node.LogLevel);
        string? verdict = null;
        // The process's one log pipeline: Akka (through Akka.Logger.Serilog), Kestrel and the host log here, all on stderr.
        Log.Logger = new LoggerConfiguration()
            .MinimumLevel.Is(level)
            .MinimumLevel.Override("Microsoft", LogEventLevel.Warning)
            // A failed start is reported in one line (StartFailure); the host's copy of it is a stack trace.
            .Filter.ByExcluding(Serilog.Filters.Matching.FromSource("Microsoft.Extensions.Hosting.Internal.Host"))
            .WriteTo.Console(standardErrorFromLevel: LogEventLevel.Verbose, formatProvider: System.Globalization.CultureInfo.InvariantCulture)
            .CreateLogger();
        try
        {
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "agent" });
            builder.Services.AddSerilog();
            builder.Services.Configure<HostOptions>(host => host.ShutdownTimeout = options.Node.ShutdownTimeout);
            builder.Services.Configure<ConsoleLifetimeOptions>(console => console.SuppressStatusMessages = true);
            var api = options.ApiAddress;
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.AddServerHeader = false;
                kestrel.Limits.MaxRequestBodySize = options.Api.MaxBodyBytes;
                kestrel.Listen(ListenAddress(api), api.Port);
            });
            builder.Services.AddRoutingCore();
            builder.Services.AddNodeMetrics();
            var exit = new ExitStatus();
            builder.Services.AddSingleton(provider => new NodeSystem(options, stdout, stderr, exit,
                provider.GetRequiredService<IHostApplicationLifetime>(), provider.GetRequiredService<NodeMetrics>()));
            builder.Services.AddHostedService(provider => provider.GetRequiredService<NodeSystem>());
            await using var app = builder.Build();
            NodeApi.Map(app, options.Api);
            CheckApi.Map(app, options.Probes.MaxConcurrent);
            // The host stops on SIGTERM, SIGINT and SIGQUIT; a hangup (the terminal went away) stops it the same way,
            // rather than killing the process with its Unix nodes left behind.
            using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, signal =>
            {
                signal.Cancel = true;
                app.Lifetime.StopApplication();
            });
            app.Lifetime.ApplicationStarted.Register(() => PrintApiAddress(app, stdout));
            try
            {
                try
                {
                    await app.StartAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (app.Lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    // A signal while the host was still starting (the services may already be bound) cancels the start;
                    // what started is stopped below, as after any stop, and the exit is the same clean one.
                }
                await app.WaitForShutdownAsync(cancellationToken);
            }
            catch (Exception e) when (StartFailure(e, options) is { } failure)
            {
                verdict = $"agent: {failure}";
                return Cli.ExitCodes.Failure;
            }
            // Akka may end the node itself (an outbound TLS handshake failed, the cluster downed it); the host then stops as
            // if asked to, and would exit 0: say why, and exit 1.
            if (exit.Code == Cli.ExitCodes.Success && ExitStatus.Unexpected(app.Services.GetRequiredService<NodeSystem>().ShutdownReason) is { } why)
            {
                await stderr.WriteLineAsync($"agent: {why}");
                return Cli.ExitCodes.Failure;
            }
            return exit.Code;
        }
        finally
        {
            await Log.CloseAndFlushAsync();
            // After the log is closed, so the verdict comes after what Akka logged of the failure (its remoting may
            // still log its own shutdown, which runs on).
            if (verdict is not null)
            {
                await stderr.WriteLineAsync(verdict);
            }
        }
    }

    // A listening socket the node could not bind (remoting or the API), as one line in Python's words; null for
    // anything else, which is a bug and keeps its stack trace.
    private static string? StartFailure(Exception failure, NodeOptions options)
    {
        var chain = Flatten(failure).ToList();
        if (chain.OfType<System.Net.Sockets.SocketException>().FirstOrDefault() is not { } socket)
        {
            return null;
        }
        var which = chain.Any(e => e is Akka.Remote.RemoteTransportException) ? $"remote {options.RemoteAddress}" : $"api {options.ApiAddress}";
        var cause = OsErrors.FromException(socket);
        return $"{which}: [Errno {cause.Errno}] {cause.Strerror}";
    }

    private static IEnumerable<Exception> Flatten(Exception exception)
    {
        yield return exception;
        var inner = exception is AggregateException aggregate ? aggregate.InnerExceptions : exception.InnerException is { } one ? [one] : [];
        foreach (var nested in inner.SelectMany(Flatten))
        {
            yield return nested;
        }
    }

    /// <summary>The address Kestrel and Akka.Remote bind to; "localhost" is the IPv4 loopback (what the default config says).</summary>
    public static IPAddress ListenAddress(HostPort address) =>
        IPAddress.TryParse(address.Host, out var ip) ? ip : IPAddress.Loopback;

    private static void PrintApiAddress(WebApplication app, TextWriter stdout)
    {
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        foreach (var address in addresses)
        {
            var uri = new Uri(address);
            stdout.WriteLine($"listening api {uri.Authority}");
        }
        stdout.Flush();
    }
}
