using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace AutoCompress.Contracts.Search;

/// <summary>
/// What a strategy searches over: named parameters, some of them conditional on others. A configuration is a JSON
/// object with one member per active parameter. Parents come before the parameters that depend on them, so a
/// configuration can be drawn (and checked) in one pass.
/// </summary>
public sealed record SearchSpace(IReadOnlyList<Parameter> Parameters)
{
    /// <summary>snake_case JSON, the type discriminator ("type") allowed anywhere in a parameter's object.</summary>
    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        AllowOutOfOrderMetadataProperties = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>Parses and validates a space; errors name the parameter (or the JSON path) at fault.</summary>
    public static SearchSpace FromJson(string json)
    {
        SearchSpace? space;
        try
        {
            space = JsonSerializer.Deserialize<SearchSpace>(json, Json);
        }
        catch (JsonException e)
        {
            throw new SearchSpaceException($"search space: {e.Message}", e);
        }
        if (space is null) throw new SearchSpaceException("search space: null");
        space.Validate();
        return space;
    }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    /// <summary>Checks names, ranges and conditions (a condition must refer to an earlier parameter's legal values).</summary>
    public void Validate()
    {
        if (Parameters is null || Parameters.Count == 0) throw new SearchSpaceException("search space: no parameters");
        var seen = new Dictionary<string, Parameter>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            if (p is null) throw new SearchSpaceException("search space: a parameter is null");
            if (string.IsNullOrWhiteSpace(p.Name)) throw new SearchSpaceException("search space: a parameter has no name");
            p.Validate();
            if (p.When is { } when)
            {
                if (!seen.TryGetValue(when.Parameter ?? "", out var parent))
                    throw new SearchSpaceException($"parameter '{p.Name}': its condition refers to '{when.Parameter}', which is not an earlier parameter");
                if (when.In is null || when.In.Count == 0)
                    throw new SearchSpaceException($"parameter '{p.Name}': its condition lists no values");
                foreach (var v in when.In)
                    if (!parent.Contains(v))
                        throw new SearchSpaceException($"parameter '{p.Name}': its condition value {v?.ToJsonString() ?? "null"} is not a value of '{parent.Name}'");
            }
            if (!seen.TryAdd(p.Name, p)) throw new SearchSpaceException($"search space: parameter '{p.Name}' is defined twice");
        }
    }

    /// <summary>The parameter called <paramref name="name"/>.</summary>
    public Parameter this[string name] =>
        Parameters.FirstOrDefault(p => p.Name == name) ?? throw new SearchSpaceException($"search space: no parameter '{name}'");

    /// <summary>Whether <paramref name="parameter"/> is active in a (partial) configuration.</summary>
    public static bool IsActive(Parameter parameter, JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(parameter);
        ArgumentNullException.ThrowIfNull(config);
        return parameter.When is not { } when || (config.TryGetPropertyValue(when.Parameter, out var v) && when.Holds(v));
    }

    /// <summary>A configuration drawn uniformly parameter by parameter.</summary>
    public JsonObject Sample(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var config = new JsonObject();
        foreach (var p in Parameters)
            if (IsActive(p, config)) config[p.Name] = p.Sample(random);
        return config;
    }

    /// <summary>
    /// Mutates one active parameter (chosen uniformly) and repairs the parameters that depend on it: newly active ones
    /// are drawn, newly inactive ones removed. The result is always a legal configuration different in that parameter.
    /// </summary>
    public JsonObject Mutate(JsonObject config, SeededRandom random, double scale = 0.2)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(random);
        var active = Parameters.Where(p => IsActive(p, config) && p.Cardinality > 1).ToList();
        if (active.Count == 0) return (JsonObject)config.DeepClone();
        var chosen = active[random.NextInt(active.Count)];
        var result = new JsonObject();
        foreach (var p in Parameters)
        {
            if (!IsActive(p, result)) continue;
            config.TryGetPropertyValue(p.Name, out var old);
            result[p.Name] = p == chosen ? p.Mutate(old!, random, scale)
                : old is not null && p.Contains(old) ? old.DeepClone() : p.Sample(random);
        }
        return result;
    }

    /// <summary>Throws a <see cref="SearchSpaceException"/> naming the first member that does not fit the space.</summary>
    public void Check(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var known = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in Parameters)
        {
            known.Add(p.Name);
            var present = config.TryGetPropertyValue(p.Name, out var value);
            if (IsActive(p, config))
            {
                if (!present) throw new SearchSpaceException($"configuration: parameter '{p.Name}' is missing");
                if (!p.Contains(value)) throw new SearchSpaceException($"configuration: '{p.Name}' = {value?.ToJsonString() ?? "null"} is not a legal value");
            }
            else if (present) throw new SearchSpaceException($"configuration: parameter '{p.Name}' is set but its condition does not hold");
        }
        foreach (var (name, _) in config)
            if (!known.Contains(name)) throw new SearchSpaceException($"configuration: '{name}' is not a parameter of the space");
    }

    /// <summary>A canonical text of a configuration (members in space order), for deduplication.</summary>
    public string Canonical(JsonObject config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var ordered = new JsonObject();
        foreach (var p in Parameters)
            if (config.TryGetPropertyValue(p.Name, out var v)) ordered[p.Name] = v?.DeepClone();
        return ordered.ToJsonString();
    }
}
