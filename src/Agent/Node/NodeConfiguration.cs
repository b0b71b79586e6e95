using System.Collections;
using System.Reflection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;
using Microsoft.Extensions.Configuration.Memory;

namespace Agent.Node;

/// <summary>
/// Builds the node's configuration from four layers, each overriding the one before: the embedded
/// <c>config/agent.json</c>, the <c>--config FILE</c> (JSON), <c>AGENT_</c> environment variables (<c>__</c> for
/// nesting: <c>AGENT_RESOLVER__TIMEOUT=00:00:05</c>), and command-line options. A list (<c>echo</c>, <c>node:seeds</c>, <c>node:tls:pinnedThumbprints</c>) is taken whole
/// from the highest layer that sets it, never merged item by item. A key that names no setting, or a value
/// that does not convert or is out of range, is an error naming the key; environment variables whose first
/// segment names no setting are left alone, since other tools share the prefix (<c>AGENT_TEST_TIME_FACTOR</c>).
/// </summary>
internal static class NodeConfiguration
{
    /// <summary>The environment variables' prefix.</summary>
    public const string EnvironmentPrefix = "AGENT_";

    private const string EmbeddedName = "agent.json";

    /// <summary>The most a config file may hold (1 MiB): a node's settings are a few hundred bytes, and a read without a bound would let a wrong path (<c>/dev/zero</c>) take all memory.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>The layered configuration; throws <see cref="IOException"/> or <see cref="InvalidDataException"/> for an unreadable or oversized file.</summary>
    public static IConfigurationRoot Build(string? file, IEnumerable<KeyValuePair<string, string?>> commandLine)
    {
        var builder = new ConfigurationBuilder()
            .AddJsonStream(Embedded());
        if (file is not null)
        {
            builder.Add(new FileLayer(Path.GetFullPath(file)));
        }
        builder.AddEnvironmentVariables(EnvironmentPrefix).AddInMemoryCollection(commandLine);
        try
        {
            return builder.Build();
        }
        catch (Exception e) when (file is not null && e is FormatException or System.Text.Json.JsonException)
        {
            // Only the file can hold broken JSON; the parser's inner exception says where.
            throw new InvalidDataException($"Failed to load configuration from file '{Path.GetFullPath(file)}'.", e);
        }
    }

    /// <summary>The options of <paramref name="configuration"/>, or every problem found, each naming its key and layer.</summary>
    public static (NodeOptions? Options, IReadOnlyList<string> Errors) Bind(IConfigurationRoot configuration)
    {
        var errors = Problems(configuration, typeof(NodeOptions), "")
            .Where(problem => problem.Value is not null || !IsForeignEnvironmentVariable(configuration, problem.Key))
            .Select(problem => problem.Value is { } value
                ? $"{problem.Key}: '{value}' is not {problem.Expected} ({Layer(configuration, problem.Key)})"
                : $"unknown key '{problem.Key}' ({Layer(configuration, problem.Key)})")
            .ToList();
        if (errors.Count > 0)
        {
            return (null, errors);
        }
        var options = new NodeOptions();
        try
        {
            configuration.Bind(options);
        }
        catch (InvalidOperationException e)
        {
            return (null, [e.Message]);
        }
        options.Echo = TopLayerList(configuration, "echo");
        options.Node.Seeds = TopLayerList(configuration, "node:seeds");
        options.Node.Tls.PinnedThumbprints = TopLayerList(configuration, "node:tls:pinnedThumbprints");
        errors.AddRange(options.Validate());
        return errors.Count > 0 ? (null, errors) : (options, errors);
    }

    private static Stream Embedded() =>
        typeof(NodeConfiguration).Assembly.GetManifestResourceStream(EmbeddedName)
            ?? throw new InvalidOperationException($"the embedded {EmbeddedName} is missing from the build");

    private static List<string> TopLayerList(IConfigurationRoot configuration, string key)
    {
        foreach (var provider in configuration.Providers.Reverse())
        {
            var indexes = provider.GetChildKeys([], key).Distinct().ToList();
            if (indexes.Count > 0)
            {
                return [.. indexes
                    .OrderBy(i => int.TryParse(i, out var n) ? n : int.MaxValue)
                    .Select(i => provider.TryGet($"{key}:{i}", out var value) ? value ?? "" : "")];
            }
            // An empty JSON array sets the key itself, with no children: the list is empty at this layer.
            if (provider.TryGet(key, out _))
            {
                return [];
            }
        }
        return [];
    }

    // Keys under `section` that no property of `type` takes (case-insensitive, as the binder matches them; Value null),
    // and values that do not convert to their property's type (so no error names a .NET type). Paths name known sections
    // as the docs spell them (`node`, not the `NODE` an environment variable may have brought in first).
    private static IEnumerable<(string Key, string? Value, string Expected)> Problems(IConfiguration section, Type type, string prefix)
    {
        foreach (var child in section.GetChildren())
        {
            var property = type.GetProperty(child.Key, BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase);
            if (property is not { CanWrite: true })
            {
                yield return (prefix + child.Key, null, "");
                continue;
            }
            var path = prefix + char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            var propertyType = property.PropertyType;
            if (propertyType == typeof(Dictionary<string, string>))
            {
                // A map takes any key; only a nested section under one is out of place.
                foreach (var item in child.GetChildren().Where(item => item.GetChildren().Any()))
                {
                    yield return ($"{path}:{item.Key}", null, "");
                }
            }
            else if (propertyType != typeof(string) && typeof(IEnumerable).IsAssignableFrom(propertyType))
            {
                // A list of strings takes values; a list of sections (checks) takes sections, each read as its type.
                var element = propertyType.IsGenericType ? propertyType.GetGenericArguments()[0] : typeof(string);
                var sections = element.IsClass && element != typeof(string);
                foreach (var item in child.GetChildren())
                {
                    if (!int.TryParse(item.Key, out _) || (!sections && item.GetChildren().Any()))
                    {
                        yield return ($"{path}:{item.Key}", null, "");
                    }
                    else if (sections)
                    {
                        foreach (var problem in Problems(item, element, $"{path}:{item.Key}:"))
                        {
                            yield return problem;
                        }
                    }
                }
            }
            else if (propertyType.IsClass && propertyType != typeof(string))
            {
                foreach (var problem in Problems(child, propertyType, path + ":"))
                {
                    yield return problem;
                }
            }
            else if (child.GetChildren().FirstOrDefault() is { } nested)
            {
                yield return ($"{path}:{nested.Key}", null, "");
            }
            else if (child.Value is { } value && Converts(value, propertyType) is { } expected)
            {
                yield return (path, value, expected);
            }
        }
    }

    // What a value of `type` must look like, when `value` is not one; null when it converts.
    private static string? Converts(string value, Type type)
    {
        var nullable = Nullable.GetUnderlyingType(type);
        if (nullable is not null && value.Length == 0)
        {
            return null;
        }
        var culture = System.Globalization.CultureInfo.InvariantCulture;
        return (nullable ?? type) switch
        {
            var t when t == typeof(int) => int.TryParse(value, System.Globalization.NumberStyles.Integer, culture, out _) ? null : "a whole number",
            var t when t == typeof(TimeSpan) => TimeSpan.TryParse(value, culture, out _) ? null : "a duration (hh:mm:ss[.fff], e.g. 00:00:05)",
            var t when t == typeof(bool) => bool.TryParse(value, out _) ? null : "true or false",
            _ => null,
        };
    }

    private static bool IsForeignEnvironmentVariable(IConfigurationRoot configuration, string key) =>
        !key.Contains(':', StringComparison.Ordinal)
        && configuration.Providers.Where(p => Sets(p, key)).All(p => p is EnvironmentVariablesConfigurationProvider);

    private static string Layer(IConfigurationRoot configuration, string key) =>
        configuration.Providers.Reverse().FirstOrDefault(p => Sets(p, key)) switch
        {
            EnvironmentVariablesConfigurationProvider => $"environment variable {EnvironmentPrefix}{key.Replace(":", "__", StringComparison.Ordinal).ToUpperInvariant()}",
            JsonStreamConfigurationProvider { Source: FileLayer layer } => $"in {layer.FilePath}",
            JsonStreamConfigurationProvider => $"in the embedded {EmbeddedName}",
            MemoryConfigurationProvider => "command line",
            _ => "configuration",
        };

    private static bool Sets(IConfigurationProvider provider, string key) =>
        provider.TryGet(key, out _) || provider.GetChildKeys([], key).Any();

    // The --config file, read once and at most MaxFileBytes of it (a device or a huge file is refused, not read whole).
    private sealed class FileLayer : JsonStreamConfigurationSource
    {
        public FileLayer(string path)
        {
            FilePath = path;
            using var file = File.OpenRead(path);
            var bytes = new byte[MaxFileBytes + 1];
            var length = file.ReadAtLeast(bytes, bytes.Length, throwOnEndOfStream: false);
            if (length > MaxFileBytes)
            {
                throw new InvalidDataException($"{path} is over the {MaxFileBytes / 1024 / 1024} MiB a config file may hold");
            }
            Stream = new MemoryStream(bytes, 0, length, writable: false);
        }

        public string FilePath { get; }
    }
}
