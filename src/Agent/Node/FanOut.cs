using Agent.Actors.Cluster;
using Agent.Cli;
using Agent.Messages;
using Akka.Actor;

namespace Agent.Node;

/// <summary>
/// Sends one request to the request actor of each chosen member at once and gathers one answer per member within a
/// deadline: a member that is unreachable, or does not answer in time, is answered <c>NodeUnreachable</c>, never waited
/// for beyond the deadline.
/// </summary>
internal static class FanOut
{
    /// <summary>How much longer than the request's own timeout a node is given to answer: the time for the answer to travel.</summary>
    public static readonly TimeSpan Margin = TimeSpan.FromSeconds(2);

    /// <summary>Each member's answer to <paramref name="request"/> in the members' order, rendered by <paramref name="render"/>.</summary>
    public static async Task<IReadOnlyList<(string Node, CommandOutput Output)>> AskAsync(ActorSystem system, IReadOnlyList<MemberDirectory.MemberInfo> members,
        object request, Func<object, CommandOutput> render, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = timeout + Margin;
        var answers = members.Select(async member =>
        {
            if (!member.Reachable)
            {
                return (member.Name, Unreachable(member, "it is unreachable (the failure detector lost its heartbeats)"));
            }
            object answer;
            try
            {
                answer = await system.ActorSelection(RequestsOf(member)).Ask<object>(request, deadline, cancellationToken);
            }
            catch (AskTimeoutException)
            {
                return (member.Name, Unreachable(member, $"no answer within {deadline.TotalSeconds:0.###} s"));
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // A Status.Failure from the node: its own failure to show, never every other member's results lost.
                return (member.Name, CommandOutput.Failure(new PythonError("OSError", null, $"{member.Name} failed the request: {e.Message}")));
            }
            try
            {
                return (member.Name, render(answer));
            }
            catch (Exception e) when (e is System.Text.Json.JsonException or InvalidOperationException)
            {
                return (member.Name, CommandOutput.Failure(new PythonError("OSError", null, $"{member.Name} answered what cannot be shown: {e.Message}")));
            }
        });
        return await Task.WhenAll(answers);
    }

    /// <summary>The request actor of <paramref name="member"/>: the same path on every node.</summary>
    private static ActorPath RequestsOf(MemberDirectory.MemberInfo member) =>
        new RootActorPath(Address.Parse(member.Address)) / "user" / RequestActor.Name;

    private static CommandOutput Unreachable(MemberDirectory.MemberInfo member, string why) =>
        CommandOutput.Failure(new PythonError("NodeUnreachable", null, $"{member.Name} ({member.Address}): {why}"));
}
