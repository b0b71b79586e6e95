using System.Text.Json;
using Agent.Messages.Checks;
using Xunit;

namespace Agent.Messages.Tests.Checks;

/// <summary>The query script: its bounds, its equality (the runner's key) and its JSON.</summary>
public sealed class QueryResponseTests
{
    private static readonly QueryResponse Smtp = new([QueryStep.Expect("^220 "), QueryStep.Send("QUIT\r\n"), QueryStep.Expect("^221 ")]);

    private static string? Problem(params QueryStep[] steps) => new QueryResponse(steps).Validate();

    [Fact]
    public void Validate_WithinBounds_Null()
    {
        Assert.Null(Smtp.Validate());
        Assert.Null(Problem([.. Enumerable.Repeat(QueryStep.Send("x"), QueryResponse.MaxSteps)]));
        Assert.Null(Problem(QueryStep.Send(new string('é', QueryResponse.MaxSendBytes / 2)), QueryStep.Expect(new string('a', QueryResponse.MaxRegexBytes))));
    }

    [Theory]
    [InlineData(0, "query_response: must have 1-16 steps, got 0")]
    [InlineData(17, "query_response: must have 1-16 steps, got 17")]
    public void Validate_StepCountOutOfRange_Named(int count, string expected) =>
        Assert.Equal(expected, Problem([.. Enumerable.Repeat(QueryStep.Send("x"), count)]));

    [Fact]
    public void Validate_SizesOutOfRange_NameTheStepInBytes()
    {
        Assert.Equal("query_response[1].send: must be 1-4096 bytes (UTF-8), got 4098",
            Problem(QueryStep.Expect("x"), QueryStep.Send(new string('é', 2049))));
        Assert.Equal("query_response[0].expect: must be 1-1024 bytes (UTF-8), got 1025", Problem(QueryStep.Expect(new string('a', 1025))));
        Assert.Equal("query_response[0].send: must be 1-4096 bytes (UTF-8), got 0", Problem(QueryStep.Send("")));
        Assert.Equal("query_response[0].expect: must be 1-1024 bytes (UTF-8), got 0", Problem(QueryStep.Expect("")));
        // Each step within its bound, together over what one remoting frame carries once escaped.
        Assert.Equal("query_response: the steps together must be at most 16384 bytes (UTF-8), got 20480",
            Problem([.. Enumerable.Repeat(QueryStep.Send(new string('a', QueryResponse.MaxSendBytes)), 5)]));
    }

    [Theory]
    [InlineData("(ab", "Not enough )'s at offset 3")]
    [InlineData("[z-a]", "[x-y] range in reverse order at offset 4")]
    [InlineData("(a)\\1", "RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'backreference (\\ number)'.")]
    [InlineData("(?=a)", "RegexOptions.NonBacktracking is not supported in conjunction with expressions containing: 'positive lookahead")]
    [InlineData("(a{1000}){1000}", "The specified pattern with RegexOptions.NonBacktracking could result in an automata as large as")]
    public void Validate_RegexRefused_ValueErrorTextNamingTheStep(string regex, string expected)
    {
        var problem = Problem(QueryStep.Send("x"), QueryStep.Expect(regex));
        Assert.StartsWith("query_response[1].expect: not a valid regex: " + expected, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RegexWithControlCharacters_OneLine()
    {
        var problem = Problem(QueryStep.Expect("(\r\n"));
        Assert.Equal("query_response[0].expect: not a valid regex: Not enough )'s at offset 3", problem);
        Assert.Equal("x[0].expect: not a valid regex: Not enough )'s at offset 3", new QueryResponse([QueryStep.Expect("(\r\n")]).Validate("x"));
    }

    [Fact]
    public void Equality_SameStepsInNewInstances_EqualWithEqualHashesAndOptionsToo()
    {
        var again = new QueryResponse([QueryStep.Expect("^220 "), QueryStep.Send("QUIT\r\n"), QueryStep.Expect("^221 ")]);
        Assert.Equal(Smtp, again);
        Assert.Equal(Smtp.GetHashCode(), again.GetHashCode());
        Assert.Equal(ProbeOptions.Default with { QueryResponse = Smtp }, ProbeOptions.Default with { QueryResponse = again });
        Assert.NotEqual(Smtp, new QueryResponse([QueryStep.Expect("^220 "), QueryStep.Send("QUIT\r\n")]));
        Assert.NotEqual(new QueryResponse([QueryStep.Send("a")]), new QueryResponse([QueryStep.Expect("a")]));
        Assert.NotEqual(ProbeOptions.Default, ProbeOptions.Default with { QueryResponse = Smtp });
    }

    [Fact]
    public void Copy_CallerListChangedAfterwards_ScriptUnchanged()
    {
        var steps = new List<QueryStep> { QueryStep.Send("a") };
        var script = new QueryResponse(steps);
        steps.Add(QueryStep.Send("b"));
        Assert.Single(script.Steps);
    }

    [Fact]
    public void Json_Options_ArrayOfSendAndExpectObjects()
    {
        var options = ProbeOptions.Default with { QueryResponse = Smtp };
        var json = JsonSerializer.Serialize(options, ChecksJsonContext.Default.ProbeOptions);
        Assert.Equal("""{"timeout":"00:00:05","retries":0,"payload_size":32,"family":"any","query_response":[{"expect":"^220 "},{"send":"QUIT\r\n"},{"expect":"^221 "}]}""",
            json);
        Assert.Equal(options, JsonSerializer.Deserialize(json, ChecksJsonContext.Default.ProbeOptions));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("[{}]")]
    [InlineData("[\"QUIT\"]")]
    [InlineData("[{\"sned\":\"x\"}]")]
    [InlineData("[{\"send\":1}]")]
    [InlineData("[{\"send\":null}]")]
    [InlineData("[{\"send\":\"x\",\"expect\":\"y\"}]")]
    public void Json_NotAScript_JsonException(string script) =>
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            $$"""{"timeout":"00:00:05","query_response":{{script}}}""", ChecksJsonContext.Default.ProbeOptions));

    [Fact]
    public void RunProbe_ScriptOnAnotherKind_RefusedNamingTheKind()
    {
        var options = ProbeOptions.Default with { QueryResponse = Smtp };
        Assert.Null(new RunProbe(ProbeTarget.Parse("tcp:mail.example:25"), options).Validate());
        Assert.Equal("query_response: only for tcp: targets, not tcp-echo", new RunProbe(ProbeTarget.Parse("tcp-echo:h:7"), options).Validate());
        Assert.Equal("query_response: only for tcp: targets, not dns", new RunProbe(ProbeTarget.Parse("dns:h"), options).Validate());
        Assert.StartsWith("retries", new RunProbe(ProbeTarget.Parse("dns:h"), options with { Retries = -1 }).Validate(), StringComparison.Ordinal);
    }
}
