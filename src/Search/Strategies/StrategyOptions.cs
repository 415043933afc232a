using System.Text.Json.Nodes;
using AutoCompress.Contracts.Search;

namespace AutoCompress.Search.Strategies;

/// <summary>Helpers strategies share: reading their options with clear errors, saving their random state.</summary>
public static class StrategyOptions
{
    /// <summary>Throws when <paramref name="options"/> has a member other than <paramref name="known"/>.</summary>
    public static void RejectUnknown(JsonObject options, string strategy, params string[] known)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, _) in options)
            if (!known.Contains(name))
                throw new SearchSpaceException(known.Length == 0
                    ? $"strategy '{strategy}': it takes no options, got '{name}'"
                    : $"strategy '{strategy}': unknown option '{name}' (known: {string.Join(", ", known)})");
    }

    /// <summary>A number option within [min, max], or the default.</summary>
    public static double Number(JsonObject options, string strategy, string name, double fallback, double min, double max)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.TryGetPropertyValue(name, out var node) || node is null) return fallback;
        double value;
        try
        {
            value = node.GetValue<double>();
        }
        catch (Exception e) when (e is InvalidOperationException or FormatException)
        {
            throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be a number, got {node.ToJsonString()}", e);
        }
        if (!(value >= min && value <= max))
            throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be in [{min}, {max}], got {value}");
        return value;
    }

    /// <summary>An integer option within [min, max], or the default.</summary>
    public static int Integer(JsonObject options, string strategy, string name, int fallback, int min, int max)
    {
        var value = Number(options, strategy, name, fallback, min, max);
        if (value != Math.Floor(value)) throw new SearchSpaceException($"strategy '{strategy}': option '{name}' must be an integer, got {value}");
        return (int)value;
    }

    public static JsonArray SaveRandom(SeededRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        // As strings: JSON numbers lose precision above 2^53 in many readers.
        return new JsonArray(random.State.Select(v => (JsonNode)JsonValue.Create(v.ToString(System.Globalization.CultureInfo.InvariantCulture))).ToArray());
    }

    public static SeededRandom RestoreRandom(JsonNode? node)
    {
        if (node is not JsonArray array) throw new SearchSpaceException("strategy state: 'random' is missing");
        return SeededRandom.FromState(array.Select(v => ulong.Parse(v!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList());
    }

    /// <summary>Throws when a saved state belongs to another strategy.</summary>
    public static void ExpectStrategy(JsonObject state, string strategy)
    {
        ArgumentNullException.ThrowIfNull(state);
        var saved = state["strategy"]?.GetValue<string>();
        if (saved != strategy) throw new SearchSpaceException($"strategy '{strategy}': cannot restore a state saved by '{saved ?? "unknown"}'");
    }
}
