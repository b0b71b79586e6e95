using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Agent.Actors.Tests.Resolution;

/// <summary>Compares Agent's and Python's answers call by call and lists every mismatch.</summary>
internal static class ParityAssert
{
    public static void Equal(JsonArray calls, JsonArray expected, JsonArray actual)
    {
        Assert.Equal(calls.Count, expected.Count);
        Assert.Equal(calls.Count, actual.Count);
        var report = new StringBuilder();
        for (var i = 0; i < calls.Count; i++)
        {
            if (!JsonNode.DeepEquals(expected[i], actual[i]))
            {
                report.AppendLine($"{calls[i]!.ToJsonString()}\n  python: {expected[i]?.ToJsonString()}\n  agent:  {actual[i]?.ToJsonString()}");
            }
        }
        Assert.True(report.Length == 0, $"Agent differs from CPython:\n{report}");
    }

    /// <summary>
    /// True for an answer only a nameserver in trouble gives (gaierror EAI_AGAIN, herror TRY_AGAIN). A hosts-file
    /// or numeric lookup never gives it, so only a call that reached the machine's real DNS can be asked again for it.
    /// </summary>
    public static bool IsTransientDnsFailure(JsonNode? answer) =>
        answer is JsonObject o && (o["error"]?.GetValue<string>(), o["errno"]?.GetValue<int>()) is ("gaierror", -3) or ("herror", 2);
}
