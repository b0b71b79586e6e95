using System.Globalization;
using System.Text.Json.Nodes;
using Agent.Messages.Checks;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Agent.Messages.Tests.Checks;

/// <summary>Targets file properties, checked by FsCheck: generated documents read as planned, in JSON and as YAML; noise never escapes as another exception.</summary>
public sealed class CheckTargetsPropertyTests
{
    private static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static readonly string[] Families = ["any", "ip4", "ip6", "both"];

    private static readonly Gen<ProbeTarget> Targets = Gen.OneOf(
        Gen.Elements("example.org", "bücher.example", "пример.рф", "\U0001F600.example", "::1", "a-b.c").Select(ProbeTarget.Dns),
        EndpointGenerators.Endpoints().Generator
            .Where(e => e.IsUnix ? e.Path.Length > 0 : e.Host.Length > 0 && e.Port > 0 && !e.IsBroadcast)
            .SelectMany(e => Gen.Elements(e.Kind switch
            {
                EndpointKind.Tcp => new[] { ProbeKind.Tcp, ProbeKind.TcpEcho },
                EndpointKind.Udp => [ProbeKind.UdpEcho],
                EndpointKind.Unix => [ProbeKind.UnixEcho],
                _ => [ProbeKind.UnixDgramEcho],
            }).Select(kind => ProbeTarget.Of(kind, e))));

    // An option field an object may set: its name, its JSON, and what it does to the options.
    private sealed record Field(string Name, JsonNode Json, Func<ProbeOptions, ProbeOptions> Apply);

    private static readonly Gen<Field[]> Fields =
        Gen.OneOf(
            Gen.Choose(1, 300_000).Select(ms => new Field("timeout", JsonValue.Create(ms / 1000.0), o => o with { Timeout = TimeSpan.FromSeconds(ms / 1000.0) })),
            Gen.Choose(0, ProbeOptions.MaxRetries).Select(n => new Field("retries", JsonValue.Create(n), o => o with { Retries = n })),
            Gen.Choose(1, ProbeOptions.MaxPayloadSize).Select(n => new Field("payload_size", JsonValue.Create(n), o => o with { PayloadSize = n })),
            Gen.Choose(0, 3).Select(f => new Field("family", JsonValue.Create(Families[f]), o => o with { Family = (FamilyMode)f })))
        .ArrayOf()
        .Select(fields => fields.DistinctBy(f => f.Name).ToArray());

    // A document as JSON text, and the probes it means over ProbeOptions.Default.
    private static Arbitrary<(string Json, RunProbe[] Expected)> Documents() =>
        (from hasDefaults in Gen.Elements(false, true)
         from defaults in Fields
         from entries in Targets.SelectMany(t => Fields.Select(f => (Target: t, Fields: f))).ArrayOf()
            .Select(e => e.DistinctBy(x => x.Target.ToString()).ToArray()).Where(e => e.Length > 0)
         select Build(hasDefaults ? defaults : null, [.. entries.Select(e => e.Target)], [.. entries.Select(e => e.Fields)]))
        .ToArbitrary();

    private static JsonObject Object(IEnumerable<Field> fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, (JsonNode?)f.Json.DeepClone())));

    private static (string Json, RunProbe[] Expected) Build(Field[]? defaults, ProbeTarget[] targets, Field[][] fields)
    {
        var document = new JsonObject();
        var effective = ProbeOptions.Default;
        if (defaults is not null)
        {
            document["defaults"] = Object(defaults);
            effective = defaults.Aggregate(effective, (o, f) => f.Apply(o));
        }
        var entries = new JsonArray();
        for (var i = 0; i < targets.Length; i++)
        {
            var text = JsonValue.Create(targets[i].ToString());
            entries.Add(fields[i].Length == 0 ? text : new JsonObject([KeyValuePair.Create("target", (JsonNode?)text), .. Object(fields[i]).Select(
                p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))]));
        }
        document["targets"] = entries;
        var expected = targets.Select((t, i) => new RunProbe(t, fields[i].Aggregate(effective, (o, f) => f.Apply(o)))).ToArray();
        return (document.ToJsonString(), expected);
    }

    [Fact]
    public void ReadFile_GeneratedDocument_AsPlannedInJsonAndAsYaml() =>
        Prop.ForAll(Documents(), doc =>
            CheckTargets.ReadFile(doc.Json, "t.json", ProbeOptions.Default).SequenceEqual(doc.Expected)
            // JSON is YAML: the same text read as YAML types every scalar as JSON did.
            && CheckTargets.ReadFile(doc.Json, "t.yaml", ProbeOptions.Default).SequenceEqual(doc.Expected))
            .Check(Config);

    [Fact]
    public void ReadFile_Noise_OnlyFormatExceptionsOfOneLine() =>
        Prop.ForAll(ArbMap.Default.ArbFor<string>(), text =>
            new[] { "t.json", "t.yaml" }.All(name => OneLineOrRead(text, name)
                && OneLineOrRead("targets:\n  - " + text, name)
                && OneLineOrRead("{\"targets\": [" + text + "]}", name)))
            .Check(Config);

    private static bool OneLineOrRead(string text, string name)
    {
        try
        {
            return CheckTargets.ReadFile(text, name, ProbeOptions.Default).Count > 0;
        }
        catch (FormatException e)
        {
            return e.Message.Length > 0 && !e.Message.Contains('\n', StringComparison.Ordinal) && !e.Message.Contains('\r', StringComparison.Ordinal);
        }
    }

    [Fact]
    public void ReadFile_TimeoutAnyPositiveNumberInRange_ThatManySeconds() =>
        Prop.ForAll(Gen.Choose(1, 300_000_000).Select(us => us / 1e6).ToArbitrary(), seconds =>
        {
            var text = $"{{\"targets\": [{{\"target\": \"dns:a\", \"timeout\": {seconds.ToString("R", CultureInfo.InvariantCulture)}}}]}}";
            return CheckTargets.ReadFile(text, "t.json", ProbeOptions.Default)[0].Options!.Timeout == TimeSpan.FromSeconds(seconds);
        })
        .Check(Config);
}
