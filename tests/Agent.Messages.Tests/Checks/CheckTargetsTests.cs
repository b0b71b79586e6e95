using System.Text.Json.Nodes;
using Agent.Messages.Checks;
using Xunit;

namespace Agent.Messages.Tests.Checks;

/// <summary>Targets files and entry lists: the examples in config/, precedence, YAML typing, and every error by its text.</summary>
public sealed class CheckTargetsTests
{
    private static readonly ProbeOptions Base = ProbeOptions.Default;

    private static IReadOnlyList<RunProbe> Json(string text, ProbeOptions? baseOptions = null) =>
        CheckTargets.ReadFile(text, "targets.json", baseOptions ?? Base);

    private static IReadOnlyList<RunProbe> Yaml(string text) => CheckTargets.ReadFile(text, "targets.yaml", Base);

    private static string JsonError(string text) => Assert.Throws<FormatException>(() => Json(text)).Message;

    private static string YamlError(string text) => Assert.Throws<FormatException>(() => Yaml(text)).Message;

    private static string RepoFile(params string[] parts)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Agent.sln")))
            {
                return Path.Combine([dir.FullName, .. parts]);
            }
        }
        throw new DirectoryNotFoundException("no Agent.sln above " + AppContext.BaseDirectory);
    }

    [Fact]
    public void Examples_JsonAndYaml_TheSameProbesOfEveryKind()
    {
        var json = CheckTargets.ReadFile(File.ReadAllText(RepoFile("config", "targets.example.json")), "targets.example.json", Base);
        var yaml = CheckTargets.ReadFile(File.ReadAllText(RepoFile("config", "targets.example.yaml")), "targets.example.yaml", Base);
        Assert.Equal(json, yaml);
        Assert.Equal(Enum.GetValues<ProbeKind>().ToHashSet(), json.Select(r => r.Target.Kind).ToHashSet());
        var defaults = new ProbeOptions(TimeSpan.FromSeconds(2), 1, 32, FamilyMode.Any);
        Assert.Equal(new RunProbe(ProbeTarget.Parse("dns:example.org"), defaults), json[0]);
        Assert.Equal(new RunProbe(ProbeTarget.Parse("dns:example.net"), defaults with { Family = FamilyMode.Both }), json[1]);
        var smtp = json.Single(r => r.Options!.QueryResponse is not null);
        Assert.Equal(ProbeTarget.Parse("tcp:mail.example.org:25"), smtp.Target);
        Assert.Equal(TimeSpan.FromSeconds(5), smtp.Options!.Timeout);
        Assert.Equal(QueryStep.Send("EHLO prober.example.org\r\n"), smtp.Options.QueryResponse!.Steps[1]);
        Assert.All(json, r => Assert.Null(r.Validate()));
    }

    [Fact]
    public void Precedence_EntryOverDefaultsOverBase()
    {
        var baseOptions = new ProbeOptions(TimeSpan.FromSeconds(9), 3, 100, FamilyMode.Ip6);
        var runs = Json("""
            {"defaults": {"timeout": 1.5, "family": "ip4"},
             "targets": ["dns:a", {"target": "tcp:h:25", "family": "both", "payload_size": 7}]}
            """, baseOptions);
        Assert.Equal(new ProbeOptions(TimeSpan.FromSeconds(1.5), 3, 100, FamilyMode.Ip4), runs[0].Options);
        Assert.Equal(new ProbeOptions(TimeSpan.FromSeconds(1.5), 3, 7, FamilyMode.Both), runs[1].Options);
        Assert.Equal(baseOptions, Json("""{"targets": ["dns:a"]}""", baseOptions)[0].Options);
    }

    [Fact]
    public void ReadEntries_NodesBuiltInCode_ReadAsParsedOnes()
    {
        // What the API or the node config hands over: nodes of CLR values, not parsed text.
        var entries = new JsonArray("dns:a", new JsonObject { ["target"] = "tcp:h:1", ["timeout"] = 0.25, ["retries"] = 2L, ["family"] = "ip6" });
        var runs = CheckTargets.ReadEntries(entries, Base, "body.targets");
        Assert.Equal(new RunProbe(ProbeTarget.Parse("tcp:h:1"), Base with { Timeout = TimeSpan.FromMilliseconds(250), Retries = 2, Family = FamilyMode.Ip6 }),
            runs[1]);
        var error = Assert.Throws<FormatException>(() => CheckTargets.ReadEntries(new JsonArray(new JsonObject { ["target"] = "dns:a", ["retries"] = 1.5 }), Base, "body.targets"));
        Assert.Equal("body.targets[0].retries: expected an integer 0-10, got 1.5", error.Message);
    }

    [Fact]
    public void ReadEntries_NodeParsedWithDuplicateFields_RefusedNamingTheObject()
    {
        // JsonNode.Parse keeps duplicates by default and throws on first use: a caller's node may hold them.
        var entries = JsonNode.Parse("""[{"target": "dns:a", "target": "dns:b"}]""");
        Assert.Equal("targets[0]: a field appears twice", Assert.Throws<FormatException>(() => CheckTargets.ReadEntries(entries, Base)).Message);
    }

    [Fact]
    public void ReadOptions_FieldsOverTheBase()
    {
        var options = CheckTargets.ReadOptions(JsonNode.Parse("""{"retries": 4}"""), Base with { PayloadSize = 9 });
        Assert.Equal(Base with { PayloadSize = 9, Retries = 4 }, options);
        Assert.Equal("options.query_response: unknown field (fields: timeout, retries, payload_size, family)",
            Assert.Throws<FormatException>(() => CheckTargets.ReadOptions(JsonNode.Parse("""{"query_response": []}"""), Base, "options")).Message);
    }

    [Fact]
    public void MaxTargets_AcceptedThenOneMoreRefused()
    {
        var names = Enumerable.Range(0, CheckTargets.MaxTargets).Select(i => (JsonNode?)JsonValue.Create($"dns:h{i}.example")).ToArray();
        Assert.Equal(CheckTargets.MaxTargets, CheckTargets.ReadEntries(new JsonArray(names), Base).Count);
        var more = new JsonArray([.. names.Select(n => n!.DeepClone()), JsonValue.Create("dns:one-more.example")]);
        Assert.Equal("targets: 10001 targets, at most 10000", Assert.Throws<FormatException>(() => CheckTargets.ReadEntries(more, Base)).Message);
    }

    [Fact]
    public void BaseOptionsOutOfRange_RefusedAtTheFirstEntry() =>
        Assert.Equal("targets[0]: retries must be 0-10, got 99",
            Assert.Throws<FormatException>(() => Json("""{"targets": ["dns:a"]}""", Base with { Retries = 99 })).Message);

    [Theory]
    [InlineData("[]", "expected an object with targets and optional defaults, got an array")]
    [InlineData("{}", "targets: required (fields: defaults, targets)")]
    [InlineData("""{"targets": ["dns:a"], "target": []}""", "target: unknown field (fields: defaults, targets)")]
    [InlineData("""{"targets": {}}""", "targets: expected an array of targets, got an object")]
    [InlineData("""{"targets": null}""", "targets: expected an array of targets, got null")]
    [InlineData("""{"targets": []}""", "targets: empty (at least one target)")]
    [InlineData("""{"targets": [5]}""", "targets[0]: expected a target string or an object with target, got 5")]
    [InlineData("""{"targets": ["dns:a", "tcp:h:0"]}""", "targets[1]: 'tcp:h:0': a probe needs a port 1-65535, got 0")]
    [InlineData("""{"targets": ["dns:a", "x", "dns:a"]}""", "targets[1]: 'x' has no scheme: expected dns:NAME, tcp:HOST:PORT, tcp-echo:HOST:PORT, udp-echo:HOST:PORT, unix-echo:PATH or unix-dgram-echo:PATH")]
    [InlineData("""{"targets": ["dns:a", "dns:b", {"target": "dns:a"}]}""", "targets[2]: duplicate of targets[0] ('dns:a')")]
    [InlineData("""{"targets": [{"target": "dns:"}]}""", "targets[0].target: 'dns:': expected dns:NAME")]
    [InlineData("""{"targets": [{"target": 5}]}""", "targets[0].target: expected a target string, got 5")]
    [InlineData("""{"targets": [{"timeout": 1}]}""", "targets[0].target: required (fields: target, timeout, retries, payload_size, family, query_response)")]
    [InlineData("""{"targets": [{"target": "dns:a", "timout": 1}]}""", "targets[0].timout: unknown field (fields: target, timeout, retries, payload_size, family, query_response)")]
    [InlineData("""{"targets": [{"target": "dns:a", "a\nb": 1}]}""", @"targets[0].a\x0ab: unknown field (fields: target, timeout, retries, payload_size, family, query_response)")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": "2"}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got '2'")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": 0}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got 0")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": -1}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got -1")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": 300.5}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got 300.5")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": 1e-9}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got 1e-9")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": 1e999}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got 1e999")]
    [InlineData("""{"targets": [{"target": "dns:a", "timeout": null}]}""", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got null")]
    [InlineData("""{"targets": [{"target": "dns:a", "retries": true}]}""", "targets[0].retries: expected an integer 0-10, got true")]
    [InlineData("""{"targets": [{"target": "dns:a", "retries": 2.0}]}""", "targets[0].retries: expected an integer 0-10, got 2.0")]
    [InlineData("""{"targets": [{"target": "dns:a", "retries": 11}]}""", "targets[0].retries: expected an integer 0-10, got 11")]
    [InlineData("""{"targets": [{"target": "dns:a", "retries": [1]}]}""", "targets[0].retries: expected an integer 0-10, got an array")]
    [InlineData("""{"targets": [{"target": "dns:a", "payload_size": 0}]}""", "targets[0].payload_size: expected an integer 1-65507, got 0")]
    [InlineData("""{"targets": [{"target": "dns:a", "payload_size": 99999999999}]}""", "targets[0].payload_size: expected an integer 1-65507, got 99999999999")]
    [InlineData("""{"targets": [{"target": "dns:a", "family": "IPv4"}]}""", "targets[0].family: expected any, ip4, ip6 or both, got 'IPv4'")]
    [InlineData("""{"targets": [{"target": "dns:a", "family": 4}]}""", "targets[0].family: expected any, ip4, ip6 or both, got 4")]
    [InlineData("""{"defaults": [], "targets": ["dns:a"]}""", "defaults: expected an object of options (timeout, retries, payload_size, family), got an array")]
    [InlineData("""{"defaults": {"timout": 1}, "targets": ["dns:a"]}""", "defaults.timout: unknown field (fields: timeout, retries, payload_size, family)")]
    [InlineData("""{"defaults": {"query_response": []}, "targets": ["dns:a"]}""", "defaults.query_response: unknown field (fields: timeout, retries, payload_size, family)")]
    [InlineData("""{"defaults": {"retries": -1}, "targets": ["dns:a"]}""", "defaults.retries: expected an integer 0-10, got -1")]
    public void Json_Invalid_OneLineNamingThePath(string text, string expected)
    {
        var error = JsonError(text);
        Assert.Equal(expected, error);
        Assert.DoesNotContain('\n', error);
    }

    [Theory]
    [InlineData("""{"expect": "^220 "}""", "targets[0].query_response: only for tcp: targets, not dns", "dns:a")]
    [InlineData("\"x\"", "targets[0].query_response: expected an array of steps {\"send\": TEXT} or {\"expect\": REGEX}, got 'x'", "tcp:h:25")]
    [InlineData("[\"QUIT\"]", "targets[0].query_response[0]: expected {\"send\": TEXT} or {\"expect\": REGEX}, got 'QUIT'", "tcp:h:25")]
    [InlineData("[{}]", "targets[0].query_response[0]: expected {\"send\": TEXT} or {\"expect\": REGEX}, got an object", "tcp:h:25")]
    [InlineData("""[{"sned": "x"}]""", "targets[0].query_response[0].sned: unknown field (fields: send, expect)", "tcp:h:25")]
    [InlineData("""[{"send": "x", "expect": "y"}]""", "targets[0].query_response[0]: one of send or expect, not both", "tcp:h:25")]
    [InlineData("""[{"send": 5}]""", "targets[0].query_response[0].send: expected a string, got 5", "tcp:h:25")]
    [InlineData("""[{"send": "x"}, {"expect": "("}]""", "targets[0].query_response[1].expect: not a valid regex: Not enough )'s at offset 1", "tcp:h:25")]
    [InlineData("[]", "targets[0].query_response: must have 1-16 steps, got 0", "tcp:h:25")]
    [InlineData("""[{"send": ""}]""", "targets[0].query_response[0].send: must be 1-4096 bytes (UTF-8), got 0", "tcp:h:25")]
    public void Json_InvalidQueryResponse_NamingTheStep(string script, string expected, string target)
    {
        // The kind is checked once the script reads, so a dns entry gets a well-formed script.
        var steps = target.StartsWith("dns", StringComparison.Ordinal) ? $"[{script}]" : script;
        Assert.Equal(expected, JsonError($$"""{"targets": [{"target": "{{target}}", "query_response": {{steps}}}]}"""));
    }

    [Fact]
    public void Json_TooManySteps_Refused()
    {
        var steps = string.Join(", ", Enumerable.Repeat("""{"send": "x"}""", 17));
        Assert.Equal("targets[0].query_response: must have 1-16 steps, got 17",
            JsonError($$"""{"targets": [{"target": "tcp:h:25", "query_response": [{{steps}}]}]}"""));
    }

    [Fact]
    public void Json_CommentsTrailingCommasAllowedDuplicateKeysNot()
    {
        Assert.Single(Json("""
            // checked every minute
            {"targets": ["dns:a",], /* more to come */}
            """));
        Assert.StartsWith("not valid JSON: Duplicate property 'targets'", JsonError("""{"targets": ["dns:a"], "targets": ["dns:b"]}"""), StringComparison.Ordinal);
        Assert.StartsWith("not valid JSON: ", JsonError("{\"targets\": [\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Yaml_PlainScalarsTypedQuotedOnesText()
    {
        var runs = Yaml("""
            defaults: {timeout: 2, retries: 0x2, payload_size: 0o20}
            targets:
              - dns:a
              - {target: "tcp:h:25", timeout: 1.5e0, query_response: [{expect: '^220 '}, {send: "QUIT\r\n"}]}
            """);
        Assert.Equal(new ProbeOptions(TimeSpan.FromSeconds(2), 2, 16), runs[0].Options);
        Assert.Equal(TimeSpan.FromSeconds(1.5), runs[1].Options!.Timeout);
        Assert.Equal(new QueryResponse([QueryStep.Expect("^220 "), QueryStep.Send("QUIT\r\n")]), runs[1].Options!.QueryResponse);
    }

    [Theory]
    [InlineData("timeout: \"2\"", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got '2'")]
    [InlineData("timeout: '2'", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got '2'")]
    [InlineData("timeout: !!str 2", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got '2'")]
    [InlineData("timeout:", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got null")]
    [InlineData("timeout: ~", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got null")]
    [InlineData("timeout: yes", "targets[0].timeout: expected a number of seconds above 0 and at most 300, got 'yes'")]
    [InlineData("retries: true", "targets[0].retries: expected an integer 0-10, got true")]
    [InlineData("retries: 2.0", "targets[0].retries: expected an integer 0-10, got 2.0")]
    [InlineData("family: no", "targets[0].family: expected any, ip4, ip6 or both, got 'no'")]
    [InlineData("timeout: .inf", "line 3, column 14: .inf has no JSON number")]
    [InlineData("timeout: !!int 2", "line 3, column 14: tag tag:yaml.org,2002:int is not supported")]
    [InlineData("retries: 0x10000000000000000", "line 3, column 14: 0x10000000000000000 is beyond a 64-bit integer")]
    [InlineData("timout: 1", "targets[0].timout: unknown field (fields: target, timeout, retries, payload_size, family, query_response)")]
    [InlineData("timeout: 1\n    timeout: 2", "line 4, column 5: duplicate key 'timeout'")]
    public void Yaml_EntryField_TypedAsYaml12Says(string field, string expected) =>
        Assert.Equal(expected, YamlError($"targets:\n  - target: dns:a\n    {field}\n"));

    [Fact]
    public void Yaml_NumbersJsonCannotSpell_ReadByValue()
    {
        var options = Yaml("targets:\n  - {target: dns:a, timeout: .5, retries: +2, payload_size: 010}\n")[0].Options!;
        Assert.Equal(new ProbeOptions(TimeSpan.FromSeconds(0.5), 2, 10), options);
    }

    [Theory]
    [InlineData("", "expected an object with targets and optional defaults, got null")]
    [InlineData("- dns:a", "expected an object with targets and optional defaults, got an array")]
    [InlineData("targets: &t [dns:a]\nmore: *t", "line 2, column 7: aliases (*name) are not supported")]
    [InlineData("targets: [dns:a]\n---\ntargets: [dns:b]", "line 2, column 1: a targets file holds one YAML document")]
    [InlineData("targets: [dns:a]\n? [x]\n: y", "line 2, column 3: a key must be plain text")]
    public void Yaml_Document_Invalid(string text, string expected) => Assert.Equal(expected, YamlError(text));

    [Fact]
    public void Yaml_Malformed_NotValidYamlInOneLine()
    {
        foreach (var text in new[] { "targets: [dns:a\nb: 2", "targets: \"open", "a: b: c", "targets: {a: 1" })
        {
            var error = YamlError(text);
            Assert.StartsWith("not valid YAML: ", error, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', error);
        }
    }

    [Fact]
    public void Yaml_NestedDeep_RefusedNotOverflowed() =>
        Assert.Equal("line 1, column 66: nested deeper than 64", YamlError(new string('[', 10_000) + new string(']', 10_000)));

    [Theory]
    [InlineData("t.yml")]
    [InlineData("T.YAML")]
    public void ReadFile_YamlByExtension(string name) =>
        Assert.Single(CheckTargets.ReadFile("targets: [dns:a]  # YAML, not JSON", name, Base));
}
